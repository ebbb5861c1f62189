"""Renaming a unit keeps search truthful: problems it leads (itself or through a measure) are
found by the new name and no longer by the old one."""

from __future__ import annotations

from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput
from tracker.services import problems, queries, reference
from tracker.services.search_index import expected_search_texts


def _ids(led: Ledger, text: str) -> list[int]:
    return queries.problem_ids(led, ProblemFilter(text=text))


def test_renamed_unit_is_found_by_its_new_name_only(ledger: Ledger) -> None:
    first = problems.create_problems(ledger, [ProblemInput(
        description="食堂留样不规范", lead_unit="县教体局",
        measures=(MeasureInput(text="开展检查"),))])[0]
    second = problems.create_problems(ledger, [ProblemInput(
        description="校舍维修滞后", lead_unit="县财政局",
        measures=(MeasureInput(text="拨付维修资金", lead_unit="县教体局"),))])[0]
    before = {u.name: u for u in reference.list_units(ledger)}
    version = queries.get_problem(ledger, first.id).version
    reference.save_unit(ledger, before["县教体局"].id, "县教育体育局")
    assert sorted(_ids(ledger, "县教育体育局")) == sorted([first.id, second.id])
    assert _ids(ledger, "县教体局") == []
    # A cache rebuild, not an edit: an editor open on the problem can still save.
    assert queries.get_problem(ledger, first.id).version == version
    with ledger.read() as s:
        assert all(stored == expected for _, stored, expected in expected_search_texts(s))
