"""export_ledger(): the printable Excel ledger, behind one function the CLI and the window call.
Streams problems in chunks into openpyxl's write-only workbook, so 100,000 problems export in
flat memory, and saves through a temporary file so a failed export never leaves half a file."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from contextlib import suppress
from itertools import chain, islice
from dataclasses import dataclass, replace
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter
from tracker.errors import StorageError
from tracker.excel.atomic import replaced_whole
from tracker.excel.export_data import (
    Selection,
    column_extents,
    has_evidence,
    iter_problems,
    select_problems,
    unit_names,
)
from tracker.excel.export_options import (
    COLUMNS,
    DEFAULT_COLUMNS,
    EVIDENCE_COLUMN,
    PERCENT_COLUMN,
    FORMAT_VERSION,
    HISTORY_MARK_ROW,
    LEDGER_ID_ROW,
    MARKER,
    MARKER_SHEET,
    Column,
    ExportOptions,
    check_columns,
    checked_options,
)
from tracker.excel.export_rows import BlockBuilder, LedgerBlock
from tracker.excel.layout import fit_widths
from tracker.excel.width_fit import best_widths
from tracker.excel.stats_sheet import STATS_SHEET, StatsSheetWriter
from tracker.excel.styles import LedgerStyles
from tracker.excel.writer import LedgerSheetWriter, number_cell, text_cell
from tracker.excel.writer_stream import StreamSheet
from tracker.services.export_queries import any_percent
from tracker.services.identity import history_mark, ledger_identity
from tracker.services.period import period_changes
from tracker.summary import ledger_summary, sentence, summary_with_units
from tracker.text import clean_text

ProgressFn = Callable[[int, int, str], None]
MAIN_SHEET = "台账"
WIDTH_SAMPLE = 300  # problems whose texts the column widths are fitted to
TICK_EVERY = 100  # problems between progress reports: often enough for a smooth bar
# Deflate level of the saved file. A 100,000-problem sheet is about 270 MB of XML: level 6
# (zlib's default) deflates it in about 3.5 s, level 3 in 1.5 s for a file a fifth larger
# (34 MB; openpyxl's own ASCII XML at level 6 made 32 MB); level 1 saves little more time.
ZIP_LEVEL = 3
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class ExportResult:
    """What was written: the file, the main sheet's problems and rows, and the sheet names."""

    path: Path
    problems: int
    rows: int
    sheets: tuple[str, ...]


@dataclass(frozen=True)
class _Sheet:
    name: str
    title: str
    selection: Selection
    unit: str | None


def default_title(ledger: Ledger, flt: ProblemFilter, org: str = "") -> str:
    """A title from what is exported: 填报单位, then the source when filtered to one."""
    base = "问题整改台账"
    if flt.source_id is not None:
        from tracker.services.reference import list_sources

        src = next((s for s in list_sources(ledger) if s.id == flt.source_id), None)
        if src is not None:
            base = f"{src.display}整改台账"
    title = f"{org}{base}" if org and not base.startswith(org) else base
    return f"{title}（{flt.unit}）" if flt.unit else title


def sheet_name(name: str, taken: set[str]) -> str:
    """A legal, unused sheet name: no []:*?/\\, at most 31 characters, unique."""
    base = _BAD_SHEET_CHARS.sub("", clean_text(name)).strip("' \n\t") or "单位"
    candidate, n = base[:31], 1
    while candidate.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f"({n})"
        candidate = base[:31 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def _blocks(ledger: Ledger, sheet: _Sheet, columns: tuple[Column, ...], day: dt.date
            ) -> Iterator[LedgerBlock]:
    builder = BlockBuilder(columns, day, sheet.unit)
    for number, problem in enumerate(iter_problems(ledger, sheet.selection), start=1):
        yield builder.block(problem, number)


def _write_marker(wb: Workbook, ledger: Ledger, ledger_id: str, mark: int) -> None:
    """The hidden sheet the importer recognises: A1 marker, then key/value rows. A5 (which
    ledger) and A6 (the history mark) tell a returned file's rows from reused ids."""
    ws = StreamSheet.add_to(wb, MARKER_SHEET)
    ws.sheet_state = "hidden"
    now = clock.now().replace(microsecond=0).isoformat()
    ws.append([text_cell(ws, MARKER, None)])
    ws.append([text_cell(ws, "format", None), number_cell(ws, FORMAT_VERSION, None)])
    ws.append([text_cell(ws, "exported_at", None), text_cell(ws, now, None)])
    ws.append([text_cell(ws, "ledger", None), text_cell(ws, ledger.path.name, None)])
    ws.append([text_cell(ws, LEDGER_ID_ROW, None), text_cell(ws, ledger_id, None)])
    ws.append([text_cell(ws, HISTORY_MARK_ROW, None), number_cell(ws, mark, None)])


def _discard(wb: Workbook) -> None:
    """Close and delete the temporary files of sheets already streamed (cancel or error)."""
    for ws in wb._sheets:
        if getattr(ws, "_writer", None) is None:
            continue  # never started: no file
        with suppress(Exception):  # ends the row stream first, then the file, in order
            ws.close()
        with suppress(OSError, ValueError):
            ws._writer.cleanup()


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save through a temporary file in the same folder, then swap it in."""
    with replaced_whole(path) as tmp, \
            ZipFile(tmp, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=ZIP_LEVEL) as zf:
        # openpyxl's own save, with a faster deflate level than zlib's default 6
        ExcelWriter(wb, zf).save()


def export_ledger(
    ledger: Ledger, path: str | os.PathLike[str], flt: ProblemFilter = ProblemFilter(),
    options: ExportOptions = ExportOptions(), progress: ProgressFn | None = None,
    sheet_writer: type[LedgerSheetWriter] = LedgerSheetWriter,
) -> ExportResult:
    """Write the filtered ledger to ``path`` (.xlsx): the ledger sheet, one sheet per lead unit
    when asked, the 统计 sheet and the hidden round-trip marker. ``sheet_writer`` writes each
    ledger sheet (the tests compare ours with one that writes through openpyxl's cells)."""
    target = Path(path)
    if not target.parent.is_dir():
        raise StorageError(f"文件夹“{target.parent}”不存在，无法导出。")
    columns = check_columns(options.columns)
    options = checked_options(options)
    # Before any problem is read: a problem created while the export runs then counts as
    # newer than the file (a conflict to decide), never the other way round.
    ledger_id, mark = ledger_identity(ledger), history_mark(ledger)
    day = options.day
    # A unit typed with a stray control character names the unit it is cleaned to, as stored.
    flt = replace(flt, as_of=flt.as_of or day, unit=clean_text(flt.unit).strip() or None)
    title = options.title.strip() or default_title(ledger, flt, options.org)
    taken = {STATS_SHEET, MARKER_SHEET}
    sheets = [_Sheet(sheet_name(flt.unit or MAIN_SHEET, taken), title,
                     select_problems(ledger, flt), flt.unit)]
    # The 统计 sheet's sentence and table (and the unit sheets) from one read of the ledger.
    summary, counts = (summary_with_units(ledger, flt, day) if options.by_unit or options.stats
                       else (None, []))
    if options.by_unit:
        base = options.title.strip() or default_title(ledger, replace(flt, unit=None), options.org)
        # A sheet per lead unit: a unit that only co-operates has no measures of its own to list.
        for unit in unit_names([u.unit for u in counts if u.total]):
            if unit != flt.unit:
                sub = replace(flt, unit=unit)
                sheets.append(_Sheet(sheet_name(unit, taken), f"{base}（{unit}）",
                                     select_problems(ledger, sub), unit))
    if options.columns == DEFAULT_COLUMNS and has_evidence(ledger, sheets[0].selection):
        at = next((i for i, c in enumerate(columns) if c.key == "remarks"), len(columns))
        columns = (*columns[:at], COLUMNS[EVIDENCE_COLUMN], *columns[at:])
    if options.columns == DEFAULT_COLUMNS and any_percent(ledger, sheets[0].selection.ids):
        at = next((i + 1 for i, c in enumerate(columns) if c.key == "status"), len(columns))
        columns = (*columns[:at], COLUMNS[PERCENT_COLUMN], *columns[at:])
    total = sum(len(s.selection) for s in sheets)
    if progress is not None:
        progress(0, total, "正在读取台账…")
    # The widths are fitted to the first problems' texts; those are then written, not re-read.
    problems = iter_problems(ledger, sheets[0].selection)
    head = list(islice(problems, WIDTH_SAMPLE))
    # The default layout prints 问题来源 as a group row above each source's problems (the
    # ledger is in source order) when the problems have sources; columns the clerk chose
    # keep it as a column.
    group_sources = options.columns == DEFAULT_COLUMNS and any(p.source for p in head)
    if group_sources:
        columns = tuple(c for c in columns if c.key != "source")
    builder = BlockBuilder(columns, day, sheets[0].unit)
    sample = [builder.block(p, n) for n, p in enumerate(head, start=1)]
    first = (builder.block(p, n) for n, p in enumerate(problems, start=len(head) + 1))
    widths = (best_widths(columns, sample, options.font_size) if sample
              else fit_widths(columns, column_extents(ledger, flt, day), options.font_size))
    wb = Workbook(write_only=True)
    wb.properties.title = title
    wb.properties.creator = "整改台账"
    try:
        styles = LedgerStyles(wb, options)
        done, rows = 0, 0
        for sheet in sheets:
            writer = sheet_writer(wb, sheet.name, sheet.title, columns, widths, options,
                                  styles, group_sources)

            def tick(n: int, base: int = done, name: str = sheet.name) -> None:
                if progress is not None and (n % TICK_EVERY == 0):
                    progress(base + n, total, f"正在写入工作表“{name}”…")

            blocks = (chain(sample, first) if sheet is sheets[0]
                      else _blocks(ledger, sheet, columns, day))
            written = writer.write(blocks, tick)
            if sheet is sheets[0]:  # unit sheets repeat the main sheet's rows
                rows = written
            done += len(sheet.selection)
        if options.stats:
            if progress is not None:
                progress(done, total, "正在写入“统计”工作表…")
            assert summary is not None  # read above for the 统计 sheet
            stats = StatsSheetWriter(wb, options, styles)
            stats.write(title, summary, sentence(summary), counts)
            if options.since is not None:
                before = sentence(ledger_summary(ledger, flt, options.since))
                stats.write_period(period_changes(ledger, flt, options.since, day),
                                    before, sentence(summary))
        _write_marker(wb, ledger, ledger_id, mark)
        styles.discard_scratch(wb)
        if progress is not None:
            progress(total, total, "正在保存文件…")
        save_workbook(wb, target)
    except BaseException:
        _discard(wb)
        raise
    names = tuple(ws.title for ws in wb._sheets if ws.title != MARKER_SHEET)
    return ExportResult(target, len(sheets[0].selection), rows, names)

