"""The sample ledger could be real: every date follows the one before it (source issued, problem
entered, measures entered, progress noted, measure done, problem closed out, today), completions
are spread over the past months, and the search text is the one rule's."""

from __future__ import annotations

import ast
import calendar
import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tracker.db.engine import open_ledger
from tracker.demo import build_demo, plan_demo
from tracker.domain import DeadlineKind, Status
from tracker.rollup import MeasureFacts, roll_up
from tracker.rules import MeasureWords, problem_search_text

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 23)
# Another year end, and a leap day early in a year (the sample sources must move back a year).
DAYS = [TODAY, dt.date(2027, 12, 31), dt.date(2024, 2, 29)]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _maybe_day(text: str | None) -> dt.date | None:
    return _day(text) if text else None


class Sample:
    """A 300-problem demo read back with plain SQL, grouped for the checks."""

    def __init__(self, path: Path, today: dt.date) -> None:
        self.today = today
        con = sqlite3.connect(path)
        con.row_factory = sqlite3.Row
        try:
            self.units = {r["id"]: r["name"] for r in con.execute("SELECT id, name FROM unit")}
            self.sources = {r["id"]: r for r in con.execute("SELECT * FROM source")}
            self.problems = list(con.execute("SELECT * FROM problem ORDER BY id"))
            self.measures: dict[int, list[sqlite3.Row]] = defaultdict(list)
            for m in con.execute("SELECT * FROM measure ORDER BY problem_id, position"):
                self.measures[m["problem_id"]].append(m)
            self.notes: dict[int, list[sqlite3.Row]] = defaultdict(list)
            for n in con.execute("SELECT * FROM progress_note ORDER BY id"):
                self.notes[n["measure_id"]].append(n)
            self.history = con.execute("SELECT count(*) FROM change_log").fetchone()[0]
        finally:
            con.close()

    def all_measures(self) -> Iterator[sqlite3.Row]:
        """Every measure of every problem."""
        for ms in self.measures.values():
            yield from ms


@pytest.fixture(scope="module", params=DAYS, ids=str)
def sample(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Sample:
    today: dt.date = request.param
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    led = open_ledger(path, user="测试员")
    try:
        assert build_demo(led, 300, today=today) == 300
    finally:
        led.close()
    return Sample(path, today)


def test_every_date_follows_the_one_before_it(sample: Sample) -> None:
    today = sample.today
    assert len(sample.problems) == 300
    for src in sample.sources.values():
        assert _day(src["issued_on"]) <= _day(src["created_at"]) <= today
    for p in sample.problems:
        where = f"problem {p['id']}"
        src = sample.sources[p["source_id"]]
        assert src["created_at"] <= p["created_at"], where
        assert _day(src["issued_on"]) <= _day(p["created_at"]) <= today, where
        assert p["created_at"] <= p["updated_at"] and _day(p["updated_at"]) <= today, where
        ms = sample.measures[p["id"]]
        assert ms, where
        for m in ms:
            where = f"measure {m['id']}"
            assert p["created_at"] <= m["created_at"] <= m["updated_at"] <= p["updated_at"], where
            done = _maybe_day(m["done_on"])
            assert (done is None) == Status(m["status"]).is_open, where
            for n in sample.notes[m["id"]]:
                noted = _day(n["noted_on"])
                assert _day(m["created_at"]) <= noted <= (done or today), where
                # Entered the day it is dated, after the measure and before its last change.
                assert _day(n["created_at"]) == noted, where
                assert m["created_at"] <= n["created_at"] <= m["updated_at"], where
            if done is not None:
                assert _day(m["created_at"]) <= done <= _day(m["updated_at"]) <= today, where
            if m["deadline"] is not None:
                assert _day(m["deadline"]) >= _day(m["created_at"]), where
        closed_on = _maybe_day(p["closeout_on"])
        assert (closed_on is not None) == (p["status"] == Status.CLOSED.value)
        if closed_on is not None:
            last_done = max(_day(m["done_on"]) for m in ms)
            assert last_done <= closed_on <= today, f"problem {p['id']}"
            assert _day(p["updated_at"]) == closed_on
            assert p["closeout_by"] and p["closeout_note"]


def test_the_demo_writes_no_history(sample: Sample) -> None:
    # Rows stamped now would sit outside the timeline; a sample needs no change log.
    assert sample.history == 0


def test_cached_columns_and_search_text_follow_the_rules(sample: Sample) -> None:
    for p in sample.problems:
        ms = sample.measures[p["id"]]
        r = roll_up([MeasureFacts(Status(m["status"]), _maybe_day(m["deadline"]),
                                  DeadlineKind(m["deadline_kind"]), m["deadline_text"])
                     for m in ms])
        assert (p["status"], _maybe_day(p["deadline"]), _maybe_day(p["open_deadline"]),
                p["deadline_text"], p["measures_total"], p["measures_done"]) == (
            r.status.value, r.deadline, r.open_deadline, r.deadline_text, r.total, r.done)
        words = [MeasureWords(m["text"], m["owner"], m["co_units"], m["deadline_text"],
                              sample.units.get(m["lead_unit_id"], "")) for m in ms]
        assert p["search_text"] == problem_search_text(
            p["description"], p["goal"], p["remarks"], p["owner"], p["leader"], p["co_units"],
            sample.units.get(p["lead_unit_id"], ""), words)
    # The old demo left these out of the search text; make sure the sample exercises them.
    assert any(p["leader"] and p["co_units"] for p in sample.problems)


def _month_ends_before(today: dt.date, count: int) -> list[dt.date]:
    ends, year, month = [], today.year, today.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        ends.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
    return ends[::-1]


def test_the_completion_rate_rises_month_by_month(sample: Sample) -> None:
    measures = list(sample.all_measures())
    rates = []
    for end in _month_ends_before(sample.today, 6):
        created = [m for m in measures if _day(m["created_at"]) <= end]
        done = [m for m in created if m["done_on"] is not None and _day(m["done_on"]) <= end]
        rates.append(len(done) / len(created))
    assert rates[-1] > rates[0] + 0.10, rates
    for before, after in zip(rates, rates[1:]):
        # A new source's problems arriving at once may dip the rate a little, never more.
        assert after >= before - 0.04, rates


def test_completions_are_not_bunched_on_today(sample: Sample) -> None:
    done = [_day(m["done_on"]) for m in sample.all_measures() if m["done_on"] is not None]
    assert done and sum(d == sample.today for d in done) <= 0.10 * len(done)
    # Spread over many months, not a few days.
    assert len({(d.year, d.month) for d in done}) >= 10


def test_today_shows_every_status_and_overdue_and_due_soon_items(sample: Sample) -> None:
    today = sample.today
    assert {p["status"] for p in sample.problems} == {s.value for s in Status}
    left = [(_day(p["open_deadline"]) - today).days for p in sample.problems
            if p["open_deadline"] is not None]
    assert sum(d < 0 for d in left) >= 5
    assert sum(0 <= d <= 7 for d in left) >= 5
    assert sum(7 < d <= 30 for d in left) >= 5


def test_the_plan_is_the_same_for_the_same_seed_and_day() -> None:
    def problems(seed: int, today: dt.date) -> list[Any]:
        plan = plan_demo(40, seed, today)
        return [plan.units, plan.sources, list(plan.problems)]

    assert problems(7, TODAY) == problems(7, TODAY)
    assert problems(7, TODAY) != problems(8, TODAY)
    assert problems(7, TODAY) != problems(7, TODAY + dt.timedelta(days=1))


def test_no_source_is_issued_after_today() -> None:
    for today in (dt.date(2020, 1, 1), dt.date(2024, 2, 29), TODAY, dt.date(2031, 7, 15)):
        plan = plan_demo(6, today=today)
        assert all(s.issued_on <= s.created_at.date() <= today for s in plan.sources), today
        assert all(p.created_at.date() <= today for p in plan.problems), today


def test_the_generation_uses_no_database() -> None:
    tree = ast.parse((ROOT / "tracker" / "demo.py").read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith(("sqlalchemy", "tracker.db.orm"))]
