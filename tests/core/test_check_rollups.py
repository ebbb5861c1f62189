"""`check` applies roll_up in bulk (SQL counts per status, latest and earliest open deadline):
on the demo ledger it agrees with roll_up everywhere, and each cached field gone wrong, a
status the app never writes, or a problem that lost its measures is reported."""

from __future__ import annotations

import pytest

from tracker.db.engine import Ledger
from tracker.services.checks import check_caches


def _ids(found: tuple[str, ...]) -> list[int]:
    return [int(x.split("（")[0].split()[1]) for x in found]


@pytest.mark.parametrize("sql", [
    "UPDATE problem SET status = 'closed' WHERE id = :a",
    "UPDATE problem SET measures_done = measures_done + 1 WHERE id = :a",
    "UPDATE problem SET measures_total = 0 WHERE id = :a",
    "UPDATE problem SET deadline = '2031-01-01' WHERE id = :a",
    "UPDATE problem SET open_deadline = '2001-01-01' WHERE id = :a",
    "UPDATE measure SET status = 'lost' WHERE problem_id = :a",
    "UPDATE measure SET deadline_kind = 'sometime' WHERE problem_id = :a",
    "DELETE FROM measure WHERE problem_id = :a",
])
def test_each_wrong_cache_is_reported_and_nothing_else(demo_ledger: Ledger, sql: str) -> None:
    assert check_caches(demo_ledger).rollups == ()
    conn = demo_ledger.raw_connection()
    try:
        target = conn.execute("SELECT problem_id FROM measure GROUP BY problem_id "
                              "HAVING count(*) > 1 LIMIT 1 OFFSET 5").fetchone()[0]
        conn.execute(sql, {"a": target})
        conn.commit()
    finally:
        conn.close()
    assert _ids(check_caches(demo_ledger).rollups) == [target]
