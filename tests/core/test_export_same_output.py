"""The fast ledger sheet (rows written as XML text, tracker.excel.sheet_xml) against the same
sheet written through openpyxl's own cell writer, as the export wrote it before: every cell's
value and style, merges, row heights, column widths, page breaks and print setup, on the demo
ledger (one sheet and by unit) and on a small ledger with the awkward texts."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from dataclasses import replace
from typing import Any

from openpyxl import load_workbook

from tests.core.test_export_fixtures import AS_OF, build_small
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, ProblemInput
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions, Level
from tracker.excel.export_rows import LedgerBlock
from tracker.excel.writer import LedgerSheetWriter, number_cell, text_cell
from tracker.excel.writer_stream import StreamSheet
from tracker.services import problems
from tracker.services.evidence import attach_bytes, evidence_by_problem
from tracker.services.export_queries import export_problems
from tracker.services.queries import list_problems, problem_ids

DAY = dt.date(2026, 12, 2)


class OpenpyxlSheetWriter(LedgerSheetWriter):
    """The ledger sheet the way the export wrote it before sheet_xml: a WriteOnlyCell per
    cell, serialised by openpyxl."""

    sheet_class = StreamSheet  # type: ignore[assignment]

    def write_block(self, block: LedgerBlock) -> None:
        """One problem's rows through openpyxl cells, merged and paginated as the writer does."""
        ws, st = self.ws, self.styles
        own, shared = self.planner.parts([line.texts for line in block.lines])
        split = None
        if self.flow is None:
            heights = self.planner.heights([line.texts for line in block.lines])
        else:
            brk, split, heights = self.flow.place(own, shared)
            if brk:
                ws.page_break_after(self.row)
        first = self.row + 1
        body = st.column_styles([c.key for c in self.columns])
        for k, (line, height) in enumerate(zip(block.lines, heights)):
            if k == split:
                ws.page_break_after(self.row)
            cells = []
            for i, (text, style) in enumerate(zip(line.texts, body)):
                if i == self.status_col:
                    style = st.status_style(line.status, line.overdue)
                keep = k == 0 or self.columns[i].level is Level.MEASURE
                cells.append(text_cell(ws, text if keep else "", style))
            cells += [number_cell(ws, v, st.plain) for v in (
                line.problem_id, line.measure_id, line.problem_version, line.measure_version)]
            self._append(cells, height)
        parts = [(first, self.row)] if split is None else [(first, first + split - 1),
                                                              (first + split, self.row)]
        for top, bottom in parts:
            if bottom > top:
                for i in self.merged_cols:
                    self._merge(i + 1, top, i + 1, bottom)
        self.rows_written += len(block.lines)


def _style(cell: Any) -> tuple[Any, ...]:
    return (repr(cell.font), repr(cell.border), repr(cell.fill), repr(cell.alignment),
            cell.number_format, repr(cell.protection))


def sheet_facts(ws: Any) -> dict[str, Any]:
    """Everything a reader of the sheet sees, as plain data."""
    cells = {c.coordinate: (c.value, c.data_type, _style(c))
             for row in ws.iter_rows() for c in row if c.value is not None or c.has_style}
    setup = ws.page_setup
    return {
        "cells": cells,
        "merges": sorted(str(m) for m in ws.merged_cells.ranges),
        "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
        "columns": {k: (d.width, d.hidden) for k, d in ws.column_dimensions.items()},
        "breaks": [b.id for b in ws.row_breaks.brk],
        "print": (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight,
                  ws.sheet_properties.pageSetUpPr.fitToPage, repr(ws.page_margins),
                  ws.print_options.horizontalCentered, ws.print_title_rows, ws.freeze_panes,
                  ws.oddFooter.center.text, ws.oddFooter.center.size, ws.sheet_state),
    }


def workbook_facts(path: Path) -> dict[str, Any]:
    """Each sheet's facts by name, and the workbook's title; the marker sheet's export time
    is left out (it is the clock's)."""
    wb = load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames, "title": wb.properties.title}
    for ws in wb.worksheets:
        facts = sheet_facts(ws)
        if ws.title == "_rectify":
            facts["cells"].pop("B3", None)
        out[ws.title] = facts
    return out


def assert_same(a: Path, b: Path) -> None:
    """The two workbooks agree in every fact; the first difference is named."""
    fa, fb = workbook_facts(a), workbook_facts(b)
    assert fa["sheets"] == fb["sheets"]
    for name in fa["sheets"]:
        for key in fa[name]:
            got, want = fa[name][key], fb[name][key]
            if key == "cells":
                diff = sorted(set(got.items()) ^ set(want.items()))[:3]
                assert got == want, f"{name}: cells differ, e.g. {diff}"
            assert got == want, f"{name}: {key} differs"
    assert fa["title"] == fb["title"]


def _both(ledger: Ledger, tmp_path: Path, options: ExportOptions,
          flt: ProblemFilter = ProblemFilter()) -> tuple[Path, Path]:
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "openpyxl.xlsx"
    export_ledger(ledger, fast, flt, options)
    export_ledger(ledger, slow, flt, options, sheet_writer=OpenpyxlSheetWriter)
    return fast, slow


def test_demo_ledger_sheet_is_cell_for_cell_the_openpyxl_one(demo_ledger: Ledger,
                                                              tmp_path: Path) -> None:
    fast, slow = _both(demo_ledger, tmp_path, ExportOptions(report_date=DAY, org="市教育局",
                                                            filler="张三", phone="0955-1234567"))
    facts = workbook_facts(fast)
    assert len(facts["台账"]["merges"]) > 60 and facts["台账"]["breaks"]  # a real ledger
    assert_same(fast, slow)


def test_by_unit_sheets_and_period_stats_match(demo_ledger: Ledger, tmp_path: Path) -> None:
    fast, slow = _both(demo_ledger, tmp_path, ExportOptions(
        report_date=DAY, by_unit=True, since=DAY - dt.timedelta(days=30)))
    assert len(workbook_facts(fast)["sheets"]) > 4
    assert_same(fast, slow)


def test_awkward_texts_match(ledger: Ledger, tmp_path: Path) -> None:
    """Markup characters, a trailing blank, line breaks, tabs, formula-like texts, control
    characters and a problem without measures are written as openpyxl writes them."""
    small = build_small(ledger)
    problems.create_problem(ledger, ProblemInput(
        description="<b>A & B</b> > C\n第二行\t制表", goal="=SUM(A1:A2)", remarks="-1",
        lead_unit="市<教育>局", owner="@某人\x0b", source_id=small.places.source_id))
    fast, slow = _both(ledger, tmp_path, ExportOptions(
        report_date=AS_OF, title="台账 & <测试>", filler="张三 ", phone="\x0c0955"))
    cells = workbook_facts(fast)["台账"]["cells"]
    texts = {v[0] for v in cells.values()}
    assert {"<b>A & B</b> > C\n第二行\t制表", "=SUM(A1:A2)", "填报人：张三 "} <= texts
    assert_same(fast, slow)
    with zipfile.ZipFile(fast) as z:  # Excel (not openpyxl) would drop the blank without this
        assert '<t xml:space="preserve">填报人：张三 </t>' in z.read("xl/worksheets/sheet1.xml").decode()


def test_export_read_is_list_problems_with_evidence_names(demo_ledger: Ledger) -> None:
    """The export's cursor read gives the rows list_problems and evidence_by_problem give."""
    ids = problem_ids(demo_ledger, sort="seq")
    attach_bytes(demo_ledger, ids[3], [("整改报告.pdf", b"%PDF-1"), ("照片.jpg", b"\xff\xd8")])
    attach_bytes(demo_ledger, ids[0], [("纪要.docx", b"PK")])
    problems.delete_problem(demo_ledger, ids[5])
    names = evidence_by_problem(demo_ledger, ids)
    want = [replace(p, evidence_names=tuple(e.name for e in names.get(p.id, ())))
            for p in list_problems(demo_ledger, ProblemFilter(ids=tuple(ids)), with_notes=True)]
    got = export_problems(demo_ledger, ids[::-1])[::-1]  # in the order asked
    assert got == want and len(got) == len(ids) - 1
    assert got[3].evidence_names == ("整改报告.pdf", "照片.jpg")
    assert any(m.notes for p in got for m in p.measures)


def test_export_read_matches_on_the_server_store(pg_url: str) -> None:
    """The same on PostgreSQL, whose driver hands over dates and times as objects."""
    from tracker.db.engine import open_ledger

    led = open_ledger(pg_url, user="测试员")
    try:
        small = build_small(led)
        attach_bytes(led, small.canteen.id, [("留样记录.xlsx", b"PK")])
        ids = problem_ids(led, sort="seq")
        names = evidence_by_problem(led, ids)
        want = [replace(p, evidence_names=tuple(e.name for e in names.get(p.id, ())))
                for p in list_problems(led, ProblemFilter(ids=tuple(ids)), with_notes=True)]
        got = export_problems(led, ids)
        assert got == want and got[1].evidence_names == ("留样记录.xlsx",)
        assert got[0].measures[0].notes and got[0].measures[0].deadline is not None
    finally:
        led.close()


def test_xml_sheet_takes_unstyled_cells_gaps_and_wide_rows(tmp_path: Path) -> None:
    """The rows around the table go through XmlSheet.append: cells without a style, gaps,
    a column past the 64th, a row height, an empty row."""
    from openpyxl import Workbook

    from tracker.excel.sheet_xml import XmlSheet

    wb = Workbook(write_only=True)
    ws = XmlSheet.add_to(wb, "x")
    ws.append([text_cell(ws, "甲 & <乙>", None), None, number_cell(ws, 7, None)]
              + [None] * 70 + [text_cell(ws, "末", None)], 20.5)
    ws.append([])
    ws.append([number_cell(ws, None, None)])
    wb.save(tmp_path / "x.xlsx")
    got = load_workbook(tmp_path / "x.xlsx")["x"]
    assert [got["A1"].value, got["B1"].value, got["C1"].value, got.cell(1, 74).value] == \
        ["甲 & <乙>", None, 7, "末"]
    assert got.row_dimensions[1].height == 20.5 and not got["A1"].has_style
    assert got.max_row == 3 and got["A3"].value is None
