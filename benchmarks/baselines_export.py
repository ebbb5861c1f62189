"""Bare-openpyxl baselines for the ledger export: write exactly the cells, styles, merges, row
heights and column widths of an exported ledger sheet, with nothing of ours in the timed part.

    python -m benchmarks.baselines_export LEDGER.sqlite                  # time vs baselines
    python -m benchmarks.baselines_export --memory LEDGER.sqlite         # export's peak RSS
    python -m benchmarks.baselines_export --normal-memory LEDGER.sqlite  # non-streaming mode

``capture(path)`` reads the first sheet of an export into a plain grid (untimed). The bare
baselines, each timed by ``compare``: ``write_normal`` (ordinary workbook, style objects per
cell), ``write_write_only`` (streaming, style objects per cell), ``write_named_styles``
(streaming, NamedStyle per cell) and ``write_style_arrays`` (streaming, prebuilt style arrays:
a floor). The export is held to 1.5x of bare openpyxl (issue: Excel ledger export, point 9)."""

from __future__ import annotations

import sys
import time
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.cell_range import CellRange

from tracker.domain import ProblemFilter


Style = tuple[Any, Any, Any, Any]  # font, border, fill, alignment


@dataclass
class Grid:
    """One sheet as plain data: per row a list of (column, value, style number), the distinct
    styles, row heights, column widths and merged ranges."""

    rows: list[list[tuple[int, Any, int]]] = field(default_factory=list)
    styles: list[Style] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    widths: dict[str, float] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)

    @property
    def cells(self) -> int:
        """How many cells the grid holds."""
        return sum(len(r) for r in self.rows)


def capture(path: str | Path) -> Grid:
    """The first sheet of ``path``. Each distinct style becomes one set of shared objects, as
    an app would share them; cells refer to it by number, so no baseline pays for hashing."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    grid = Grid()
    numbers: dict[Style, int] = {}
    for r, row in enumerate(ws.iter_rows(), start=1):
        cells = []
        for c in row:
            if c.value is None and not c.has_style:
                continue
            # copy(): cells hand out read-only proxies
            style = (copy(c.font), copy(c.border), copy(c.fill), copy(c.alignment))
            if style not in numbers:
                numbers[style] = len(grid.styles)
                grid.styles.append(style)
            cells.append((c.column, c.value, numbers[style]))
        grid.rows.append(cells)
        h = ws.row_dimensions[r].height
        if h:
            grid.heights[r] = h
    grid.widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
    grid.merges = [str(m) for m in ws.merged_cells.ranges]
    return grid


def _print_setup(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.print_title_rows = "3:3"


def _widths(ws: Any, grid: Grid) -> None:
    for letter, width in grid.widths.items():
        ws.column_dimensions[letter].width = width


def _merges(ws: Any, grid: Grid) -> None:
    # Straight into the range set: ws.merge_cells checks each new range against all others
    # (quadratic: hours at 10,000 problems), which no baseline should be charged for.
    for ref in grid.merges:
        ws.merged_cells.ranges.add(CellRange(ref))


def write_normal(grid: Grid, out: str | Path) -> None:
    """Baseline 1: an ordinary workbook, the shared style objects assigned cell by cell."""
    wb = Workbook()
    ws = wb.active
    _widths(ws, grid)
    for r, row in enumerate(grid.rows, start=1):
        for col, value, n in row:
            cell = ws.cell(row=r, column=col, value=value)
            cell.font, cell.border, cell.fill, cell.alignment = grid.styles[n]
        if r in grid.heights:
            ws.row_dimensions[r].height = grid.heights[r]
    _merges(ws, grid)
    _print_setup(ws)
    wb.save(str(out))


def _stream(grid: Grid, out: str | Path, make: Any, prepare: Any = None) -> None:
    """Write the grid in streaming mode; ``make(ws, value, style_number)`` builds each cell."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    if prepare is not None:
        prepare(wb, ws)
    _widths(ws, grid)
    _print_setup(ws)
    for r, row in enumerate(grid.rows, start=1):
        values: list[Any] = []
        for col, value, n in row:
            values.extend([None] * (col - 1 - len(values)))
            values.append(make(ws, value, n))
        if r in grid.heights:
            ws.row_dimensions[r].height = grid.heights[r]
        ws.append(values)
    _merges(ws, grid)
    wb.save(str(out))


def write_write_only(grid: Grid, out: str | Path) -> None:
    """Baseline 2: openpyxl's streaming mode, a WriteOnlyCell per cell with the shared style
    objects assigned."""
    def make(ws: Any, value: Any, n: int) -> Any:
        cell = WriteOnlyCell(ws, value=value)
        cell.font, cell.border, cell.fill, cell.alignment = grid.styles[n]
        return cell

    _stream(grid, out, make)


def write_named_styles(grid: Grid, out: str | Path) -> None:
    """Baseline 3: streaming mode, each distinct style registered once as a NamedStyle and
    cells given the style's name."""
    from openpyxl.styles import NamedStyle

    def prepare(wb: Any, ws: Any) -> None:
        for n, (font, border, fill, align) in enumerate(grid.styles):
            wb.add_named_style(NamedStyle(name=f"s{n}", font=font, border=border, fill=fill,
                                          alignment=align))

    def make(ws: Any, value: Any, n: int) -> Any:
        cell = WriteOnlyCell(ws, value=value)
        cell.style = f"s{n}"
        return cell

    _stream(grid, out, make, prepare)


def write_style_arrays(grid: Grid, out: str | Path) -> None:
    """Baseline 4, a floor more than a baseline: streaming mode with each style's internal
    StyleArray built once and copied onto cells (the trick the export uses itself)."""
    arrays: list[Any] = []

    def prepare(wb: Any, ws: Any) -> None:
        for style in grid.styles:
            probe = WriteOnlyCell(ws)
            probe.font, probe.border, probe.fill, probe.alignment = style
            arrays.append(probe._style)

    def make(ws: Any, value: Any, n: int) -> Any:
        cell = WriteOnlyCell(ws, value=value)
        cell._style = arrays[n]
        return cell

    _stream(grid, out, make, prepare)


def timed(fn: Any, *args: Any) -> float:
    """CPU seconds one call takes (CPU, not wall time: other work on a shared machine would
    otherwise decide the ratio)."""
    start = time.process_time()
    fn(*args)
    return time.process_time() - start


def compare(ledger_path: str | Path, workdir: str | Path, repeat: int = 3, slow: bool = True
            ) -> dict[str, float]:
    """Export a ledger (ledger sheet only), then write the same sheet with each baseline.
    The export and the two fast baselines run ``repeat`` times, interleaved, best kept; the
    two slow ones (several times slower, no doubt about the ratio) run once, unless ``slow``
    is False (at 100,000 problems the ordinary workbook needs gigabytes)."""
    from tracker.db.engine import open_ledger
    from tracker.excel.export import export_ledger
    from tracker.excel.export_options import ExportOptions

    out = Path(workdir) / "export.xlsx"
    base = Path(workdir) / "baseline.xlsx"
    ledger = open_ledger(ledger_path, read_only=True)
    best: dict[str, float] = {}
    try:
        options = ExportOptions(stats=False)
        best["export_s"] = timed(export_ledger, ledger, out, ProblemFilter(), options)
        grid = capture(out)
        for _ in range(repeat):
            for key, fn, args in (
                    ("export_s", export_ledger, (ledger, out, ProblemFilter(), options)),
                    ("named_s", write_named_styles, (grid, base)),
                    ("arrays_s", write_style_arrays, (grid, base))):
                seconds = timed(fn, *args)
                best[key] = min(best.get(key, seconds), seconds)
    finally:
        ledger.close()
    if slow:
        best["normal_s"] = timed(write_normal, grid, base)
        best["write_only_s"] = timed(write_write_only, grid, base)
    base.unlink()
    return {"rows": float(len(grid.rows)), "cells": float(grid.cells),
            "merges": float(len(grid.merges)), **best}


_EXPORT_CHILD = """
import sys, time
from tracker.db.engine import open_ledger
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions
from tracker.domain import ProblemFilter
ledger = open_ledger(sys.argv[1], read_only=True)
start = time.perf_counter()
r = export_ledger(ledger, sys.argv[2], ProblemFilter(), ExportOptions(by_unit=sys.argv[3] == "1"))
print(time.perf_counter() - start, r.problems, r.rows)
"""


def export_peak_memory(ledger_path: str | Path, out: str | Path, by_unit: bool = False
                       ) -> tuple[float, float, int, int]:
    """Export in a fresh process; (seconds, peak RSS in MiB, problems, rows). The peak is the
    child's ru_maxrss, so nothing this process holds is counted."""
    import resource
    import subprocess

    done = subprocess.run([sys.executable, "-c", _EXPORT_CHILD, str(ledger_path), str(out),
                           "1" if by_unit else "0"], check=True, capture_output=True, text=True)
    seconds, problems, rows = done.stdout.split()
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return float(seconds), peak_kib / 1024, int(problems), int(rows)


def main(argv: list[str]) -> int:
    """Print the export time next to both baselines and the ratios (``--memory``: the peak
    memory of exporting the ledger in a child process instead)."""
    import tempfile

    if argv[0] == "--normal-memory":  # what the ordinary (not streaming) mode would hold
        import tracemalloc

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "e.xlsx"
            ledger = __import__("tracker.db.engine", fromlist=["open_ledger"]).open_ledger(
                argv[1], read_only=True)
            from tracker.excel.export import export_ledger

            export_ledger(ledger, out)
            ledger.close()
            grid = capture(out)
            tracemalloc.start()
            write_normal(grid, Path(tmp) / "n.xlsx")
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        print(f"{grid.cells} cells: normal-mode write peak {peak / 2**20:.0f} MiB "
              f"({peak / grid.cells:.0f} bytes per cell, Python allocations)")
        return 0
    if argv[0] == "--memory":
        with tempfile.TemporaryDirectory() as tmp:
            secs, mib, problems, rows = export_peak_memory(argv[1], Path(tmp) / "m.xlsx")
        print(f"{problems} problems, {rows} rows: {secs:.1f} s, peak RSS {mib:.0f} MiB")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        r = compare(argv[0], tmp)
    print(f"{r['rows']:.0f} rows, {r['cells']:.0f} cells, {r['merges']:.0f} merges")
    print("CPU seconds, best of 3 for the first three:")
    print(f"rectify export:             {r['export_s']:.2f} s")
    print(f"bare openpyxl (normal):     {r['normal_s']:.2f} s  "
          f"ratio {r['export_s'] / r['normal_s']:.2f}")
    print(f"bare openpyxl (write-only): {r['write_only_s']:.2f} s  "
          f"ratio {r['export_s'] / r['write_only_s']:.2f}")
    print(f"bare openpyxl (named styles): {r['named_s']:.2f} s  "
          f"ratio {r['export_s'] / r['named_s']:.2f}")
    print(f"openpyxl floor (style arrays): {r['arrays_s']:.2f} s  "
          f"ratio {r['export_s'] / r['arrays_s']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
