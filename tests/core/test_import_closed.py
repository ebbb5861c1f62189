"""销号 is the office's verification: a unit's returned file cannot close a problem out (its
已销号 comes in as 已完成 with a warning at the cell), while a first import of a hand-made
ledger keeps problems that were already closed, marked as closed before they came in."""

from __future__ import annotations

from pathlib import Path

from tests.core.closeout_helpers import with_evidence
from tests.core.import_books import standard_book
from tests.core.test_roundtrip_excel import OPTIONS, edit, export, small  # noqa: F401
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, Status
from tracker.excel.import_plan import build_plan
from tracker.excel.import_values import CLOSED_IN_RETURN
from tracker.rules import IMPORTED_CLOSED
from tracker.services.imports import apply_plan
from tracker.services.queries import get_problem, list_problems


def test_a_returned_file_cannot_close_out(small: Ledger, tmp_path: Path) -> None:
    path = export(small, tmp_path / "台账.xlsx")
    p = get_problem(small, 2)
    (m,) = p.measures
    edited = edit(path, tmp_path / "交回.xlsx", **{f"m{m.id}": {"完成情况": "已销号"}})
    plan = build_plan(small, edited, OPTIONS)
    assert not plan.errors
    (warning,) = [f for f in plan.warnings if f.message == CLOSED_IN_RETURN]
    assert warning.sheet == "台账" and warning.column
    apply_plan(small, plan)
    after = get_problem(small, 2)
    assert after.measures[0].status is Status.DONE and after.status is Status.DONE
    assert after.closeout_by == "" and after.closeout_on is None


def _closed_and_exported(small: Ledger, tmp_path: Path) -> Path:
    """Problem 2 done, with evidence, closed out by the office; the ledger exported."""
    from tracker import clock
    from tracker.services.measures import set_measure_status
    from tracker.services.problems import close_out

    (m,) = get_problem(small, 2).measures
    set_measure_status(small, m.id, Status.DONE)
    with_evidence(small, 2)
    close_out(small, 2, "督导室", clock.today())
    return export(small, tmp_path / "台账.xlsx")


def test_a_returned_file_saying_closed_of_a_closed_problem_changes_nothing(
        small: Ledger, tmp_path: Path) -> None:
    path = _closed_and_exported(small, tmp_path)
    plan = build_plan(small, path, OPTIONS)
    assert not plan.updates and CLOSED_IN_RETURN not in [f.message for f in plan.warnings]


def test_a_hand_made_ledger_brings_closed_problems_in_marked_as_imported(
        ledger: Ledger, tmp_path: Path) -> None:
    rows = [({"序号": 1, "问题来源": "2021年履行教育职责评价反馈问题", "存在问题": "食堂留样不规范"},
             [{"整改措施": "开展检查", "牵头单位": "县教育局", "整改时限": "2022.6.30",
               "完成情况": "已销号"}]),
            ({"序号": 2, "问题来源": "2021年履行教育职责评价反馈问题", "存在问题": "监控存在盲区"},
             [{"整改措施": "补装监控", "牵头单位": "县公安局", "整改时限": "2022.12.31",
               "完成情况": "整改中"}])]
    book = standard_book(tmp_path / "手工台账.xlsx", rows)
    plan = build_plan(ledger, book, OPTIONS)
    assert not plan.errors and CLOSED_IN_RETURN not in [f.message for f in plan.warnings]
    apply_plan(ledger, plan)
    closed, open_ = list_problems(ledger, ProblemFilter())
    assert closed.status is Status.CLOSED and closed.closeout_note == IMPORTED_CLOSED
    assert closed.closeout_by == "" and closed.closeout_on is None
    assert open_.status is Status.IN_PROGRESS and open_.closeout_note == ""


def test_another_ledgers_export_taken_as_new_keeps_its_closed_problems(
        small: Ledger, tmp_path: Path) -> None:
    import dataclasses

    from tracker.db.engine import open_ledger

    path = _closed_and_exported(small, tmp_path)
    other = open_ledger(tmp_path / "另一本.sqlite", user="测试员")
    try:
        plan = build_plan(other, path, dataclasses.replace(OPTIONS, as_new=True))
        assert not plan.errors and CLOSED_IN_RETURN not in [f.message for f in plan.warnings]
        apply_plan(other, plan)
        by_text = {p.description: p for p in list_problems(other, ProblemFilter())}
        closed = by_text["监控存在盲区"]
        assert closed.status is Status.CLOSED and closed.closeout_note == IMPORTED_CLOSED
        assert by_text["教师结构性缺编"].status is get_problem(small, 1).status
    finally:
        other.close()
