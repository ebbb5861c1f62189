"""An extended deadline reads the same everywhere (window text, exported ledger, 催办单):
"2027年6月底前（原定2026-12-31，已延期）", and a returned ledger carrying that text changes nothing."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_export_fixtures import open_sheet
from tracker import clock, rules
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.excel.reminder import export_reminder
from tracker.services import cycle
from tracker.services.problems import create_problem
from tracker.services.queries import get_problem

WORDS = "2027年6月底前（原定2026年12月底前，已延期）"


def _extended(ledger: Ledger) -> int:
    row = create_problem(ledger, ProblemInput("校舍维修滞后", lead_unit="县教体局", measures=(
        MeasureInput("拨付维修资金", deadline_text="2026年12月底前", status=Status.IN_PROGRESS),)))
    cycle.extend(ledger, row.measures[0].id, "2027年6月底前", "资金未到位", "王局长")
    return row.id


def _cells(path: Path) -> list[str]:
    return [str(c.value) for row in open_sheet(path).iter_rows() for c in row if c.value]


def test_an_extended_deadline_is_printed_with_the_original(ledger: Ledger, tmp_path: Path) -> None:
    pid = _extended(ledger)
    (m,) = get_problem(ledger, pid).measures
    assert rules.measure_deadline_words(m) == WORDS
    path = tmp_path / "台账.xlsx"
    export_ledger(ledger, path, options=ExportOptions(report_date=clock.today()))
    assert WORDS in _cells(path)
    notice = tmp_path / "催办.xlsx"
    export_reminder(ledger, "县教体局", notice, ExportOptions(report_date=clock.today()))
    assert WORDS in _cells(notice)
    plan = build_plan(ledger, path, ImportOptions(today=clock.today()))
    assert not plan.errors and not plan.updates and not plan.problems


def test_the_ledger_gets_an_evidence_column_when_problems_have_evidence(
        ledger: Ledger, tmp_path: Path) -> None:
    from tracker.excel.export_options import DEFAULT_COLUMNS
    from tracker.services.evidence import attach_bytes

    pid = _extended(ledger)
    plain = tmp_path / "无材料.xlsx"
    export_ledger(ledger, plain, options=ExportOptions(report_date=clock.today()))
    assert "佐证材料" not in _cells(plain)
    attach_bytes(ledger, pid, [("拨付凭证.pdf", b"%PDF"), ("现场照片.jpg", b"jpg")])
    path = tmp_path / "有材料.xlsx"
    export_ledger(ledger, path, options=ExportOptions(report_date=clock.today()))
    cells = _cells(path)
    assert "佐证材料" in cells and "2个：拨付凭证.pdf、现场照片.jpg" in cells
    chosen = tmp_path / "自选列.xlsx"
    export_ledger(ledger, chosen, options=ExportOptions(
        report_date=clock.today(), columns=tuple(k for k in DEFAULT_COLUMNS if k != "goal")))
    assert "佐证材料" not in _cells(chosen)  # a clerk's own choice of columns is kept
