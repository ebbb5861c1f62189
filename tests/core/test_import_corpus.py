"""Issue 13's corpus: every hand-made ledger shape imports with each status, unit, deadline
and percent a clerk expects, and comes back the same after an export and a re-import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.core.import_corpus import Shape, shapes
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import ProblemRow
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.services.imports import apply_plan
from tracker.services.queries import list_problems

TODAY = dt.date(2026, 11, 23)
SHAPES = shapes()


def _units(names: str) -> set[str]:
    return {n for n in names.split("、") if n}


def check(problems: list[ProblemRow], shape: Shape, percents: bool = True) -> None:
    """Compare the imported problems with what the shape says, field by field. ``percents``:
    also 完成进度, stored on the measure (and never as a progress note)."""
    descs = list(dict.fromkeys(r[0] for r in shape.rows))
    assert [p.description for p in problems] == descs
    measures = [(p, m) for p in problems for m in p.measures]
    assert [m.text for _, m in measures] == list(shape.texts)
    assert [m.lead_unit for _, m in measures] == list(shape.leads)
    assert [m.status for _, m in measures] == list(shape.statuses)
    assert [m.deadline for _, m in measures] == list(shape.deadlines)
    if percents:
        wanted = list(shape.percents) if any(p is not None for p in shape.percents) else [None]
        assert [m.percent for _, m in measures] == wanted * (len(measures) if wanted == [None] else 1)
    assert not [n.text for _, m in measures for n in m.notes if n.text.startswith("完成进度")]
    for p, co in zip(problems, shape.co):
        assert _units(p.co_units) | {u for m in p.measures for u in _units(m.co_units)} == \
            _units(co), p.description
    for (_, m), wanted in zip(measures, shape.notes):
        texts = [n.text for n in m.notes]
        assert all(w in texts for w in wanted), (texts, wanted)
    if any(shape.categories):
        assert [p.category for p in problems] == [c.split("、", 1)[1] for c in shape.categories]
    assert [p.remarks for p in problems] == list(shape.remarks)


def _import(ledger: Ledger, path: Path, options: ImportOptions) -> list[ProblemRow]:
    plan = build_plan(ledger, path, options)
    assert plan.errors == [], [f"{e.row}{e.column}:{e.message}" for e in plan.errors]
    apply_plan(ledger, plan, today=TODAY)
    return list_problems(ledger, with_notes=True)


def test_the_corpus_has_at_least_thirty_shapes() -> None:
    assert len(SHAPES) >= 30 and len({s.name for s in SHAPES}) == len(SHAPES)


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_each_shape_imports_as_a_clerk_expects(ledger: Ledger, tmp_path: Path,
                                              shape: Shape) -> None:
    path = shape.write(tmp_path / f"{shape.name}.xlsx")
    plan = build_plan(ledger, path, ImportOptions(today=TODAY))
    assert plan.errors == [], [f"{e.row}{e.column}:{e.message}" for e in plan.errors]
    pcts = [m.percent for p in plan.problems for m in p.measures]
    if any(p is not None for p in shape.percents):
        assert pcts == list(shape.percents)
    check(_import(ledger, path, ImportOptions(today=TODAY)), shape)


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_each_shape_comes_back_the_same_after_an_export(ledger: Ledger, tmp_path: Path,
                                                       shape: Shape) -> None:
    _import(ledger, shape.write(tmp_path / "in.xlsx"), ImportOptions(today=TODAY))
    out = tmp_path / "导出.xlsx"
    export_ledger(ledger, out, options=ExportOptions(report_date=TODAY))
    other = open_ledger(tmp_path / "other.sqlite", user="测试员")
    try:
        again = _import(other, out, ImportOptions(today=TODAY, as_new=True))
        # The same, field by field, after the round trip. 完成进度 only once the export writes
        # its column (test_percent_comes_back_after_an_export waits for that).
        check(again, shape, percents=_exports_percent(out))
    finally:
        other.close()


def _exports_percent(path: Path) -> bool:
    """True when the exported ledger has a 完成进度 column."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        ws = wb.worksheets[0]
        return any(v == "完成进度" for row in ws.iter_rows(max_row=8, values_only=True) for v in row)
    finally:
        wb.close()


PERCENT_SHAPES = [s for s in SHAPES if any(p is not None for p in s.percents)]


@pytest.mark.parametrize("shape", PERCENT_SHAPES, ids=[s.name for s in PERCENT_SHAPES])
def test_percent_comes_back_after_an_export(ledger: Ledger, tmp_path: Path, shape: Shape) -> None:
    _import(ledger, shape.write(tmp_path / "in.xlsx"), ImportOptions(today=TODAY))
    out = tmp_path / "导出.xlsx"
    export_ledger(ledger, out, options=ExportOptions(report_date=TODAY))
    other = open_ledger(tmp_path / "other.sqlite", user="测试员")
    try:
        again = _import(other, out, ImportOptions(today=TODAY, as_new=True))
        assert [m.percent for p in again for m in p.measures] == list(shape.percents)
    finally:
        other.close()


def test_a_relative_deadline_keeps_its_year_through_an_export(ledger: Ledger,
                                                             tmp_path: Path) -> None:
    shape = SHAPES[0]
    _import(ledger, shape.write(tmp_path / "in.xlsx"), ImportOptions(today=TODAY))
    out = tmp_path / "导出.xlsx"
    export_ledger(ledger, out, options=ExportOptions(report_date=TODAY))
    other = open_ledger(tmp_path / "other.sqlite", user="测试员")
    try:
        again = _import(other, out, ImportOptions(today=TODAY, as_new=True))
        assert again[0].measures[0].deadline == dt.date(2023, 12, 31)
    finally:
        other.close()
