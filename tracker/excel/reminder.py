"""催办单: a reminder notice for one unit, listing its open items (overdue first) with their
deadlines and a blank column for the unit's latest progress, ready to print and send."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from tracker import rules
from tracker.db.engine import Ledger
from tracker.domain import MeasureRow, ProblemFilter, ProblemRow
from tracker.errors import StorageError, ValidationError
from tracker.excel.export import _write_marker, save_workbook
from tracker.excel.export_options import ID_HEADERS, ExportOptions, checked_options
from tracker.excel.export_rows import (
    deadline_words,
    measure_deadline_words,
    measures_for_unit,
    safe_text,
    status_words,
)
from tracker.excel.layout import HeightPlanner, lines_height
from tracker.excel.styles import LedgerStyles
from tracker.excel.writer import number_cell, setup_page, text_cell
from tracker.excel.writer_stream import StreamSheet
from tracker.services.lookup import match_unit
from tracker.services.queries import list_problems
from tracker.services.identity import history_mark, ledger_identity
from tracker.summary import cn_date
from tracker.text import clean_text

DUE_SOON_DAYS = 30
# 到期提示, not 时限提示: the importer would read a header with 时限 in it as a second 整改时限.
HEADERS = ("序号", "问题来源", "存在问题", "整改措施", "整改时限", "完成情况", "到期提示",
           "最新整改进展（请填写）")
WIDTHS = (5.5, 10.0, 17.0, 16.0, 15.0, 15.0, 9.0, 18.0)  # 2026年11月30日 / 整改中（逾期） on one line
MERGED = (True, True, True, False, False, False, False, False)
CENTRED = (True, False, False, False, True, True, True, False)
HEADER_ROW = 5


@dataclass(frozen=True)
class ReminderItem:
    """One problem on the notice with the unit's open measures of it."""

    problem: ProblemRow
    measures: tuple[MeasureRow | None, ...]  # None: a problem without measures

    def urgency(self, day: dt.date) -> tuple[int, dt.date]:
        """Sort key: overdue first, then the nearest deadline, undated last."""
        dates = [m.deadline for m in self.measures
                 if m is not None and m.deadline and rules.holds_deadline(m.status, m.deadline)]
        if self.measures == (None,) and self.problem.open_deadline:
            dates = [self.problem.open_deadline]
        first = min(dates) if dates else dt.date.max
        return (0 if rules.overdue(first, day) else 1 if first != dt.date.max else 2, first)


@dataclass(frozen=True)
class ReminderResult:
    """What the notice lists."""

    path: Path
    problems: int
    items: int
    overdue: int
    due_soon: int


def reminder_items(ledger: Ledger, unit: str, day: dt.date) -> list[ReminderItem]:
    """The unit's problems that still need work, most urgent first."""
    out = []
    for p in list_problems(ledger, ProblemFilter(unit=unit, as_of=day), with_notes=True):
        open_ = tuple(m for m in measures_for_unit(p, unit) if m.status.is_open)
        if open_:
            out.append(ReminderItem(p, open_))
        elif not p.measures and p.status.is_open:
            out.append(ReminderItem(p, (None,)))
    return sorted(out, key=lambda i: i.urgency(day))


def due_words(deadline: dt.date | None, day: dt.date) -> str:
    """时限提示: 逾期N天 / 剩余N天 / 今天到期 / empty for undated."""
    if deadline is None:
        return ""
    days = (deadline - day).days
    if days < 0:
        return f"逾期{-days}天"
    return "今天到期" if days == 0 else f"剩余{days}天"


def _ids(item: ReminderItem) -> list[tuple[int | None, ...]]:
    """The hidden 问题ID/措施ID/问题版本/措施版本 of each line: a unit's filled-in notice comes
    back through import-excel like a returned ledger, its progress column as progress notes."""
    p = item.problem
    return [(p.id, m.id if m else None, p.version, m.version if m else None)
            for m in item.measures]


def _lines(item: ReminderItem, number: int, day: dt.date) -> list[tuple[list[str], bool]]:
    p = item.problem
    rows = []
    for m in item.measures:
        deadline = m.deadline if m is not None else p.open_deadline
        # 长期坚持 work is never overdue, whatever date is written beside it.
        holds = deadline if m is None or rules.holds_deadline(m.status, deadline) else None
        overdue = (rules.measure_overdue(m.status, m.deadline, day) if m is not None
                   else rules.overdue(p.open_deadline, day))
        texts = [str(number), p.source, p.description,
                 m.text if m is not None else "",
                 (measure_deadline_words(m) if m is not None
                  else deadline_words(deadline, p.deadline_text)),
                 status_words(m.status if m is not None else p.status, overdue),
                 due_words(holds, day), ""]
        rows.append(([safe_text(t, p, h) for t, h in zip(texts, HEADERS)], overdue))
    return rows


def export_reminder(
    ledger: Ledger, unit: str, path: str | os.PathLike[str],
    options: ExportOptions = ExportOptions(), reply_by: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ReminderResult:
    """Write the 催办单 for ``unit`` to ``path`` (.xlsx)."""
    unit = clean_text(unit).strip()
    if not unit:
        raise ValidationError("请选择要催办的单位。", "unit")
    # A unit that only co-operates (配合单位) is chased too: `--unit` finds its problems.
    unit = match_unit(ledger, unit)
    target = Path(path)
    if not target.parent.is_dir():
        raise StorageError(f"文件夹“{target.parent}”不存在，无法导出。")
    options = checked_options(options)
    day = options.day
    items = reminder_items(ledger, unit, day)
    if progress is not None:
        progress(0, len(items), f"正在生成“{unit}”的催办单…")
    # Taken before the rows are read, as the export does: a change made meanwhile is newer.
    ledger_id, mark = ledger_identity(ledger), history_mark(ledger)
    wb = Workbook(write_only=True)
    styles = LedgerStyles(wb, options)
    ws = StreamSheet.add_to(wb, "催办单")
    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for i in range(len(WIDTHS) + 1, len(WIDTHS) + 1 + len(ID_HEADERS)):
        ws.column_dimensions[get_column_letter(i)].width = 8
        ws.column_dimensions[get_column_letter(i)].hidden = True
    setup_page(ws, HEADER_ROW, landscape=False)
    size = options.font_size
    n = len(HEADERS)
    row = 0

    def wide(text: str, style: object, height: float) -> None:
        nonlocal row
        row += 1
        ws.row_dimensions[row].height = height
        ws.append([text_cell(ws, text, style)] + [None] * (n - 1))
        ws.merge(1, row, n, row)

    all_lines = [_lines(item, k, day) for k, item in enumerate(items, start=1)]
    overdue = sum(1 for lines in all_lines for _, late in lines if late)
    soon = sum(1 for item in items for m in item.measures
               if m is not None and rules.holds_deadline(m.status, m.deadline)
               and 0 <= (rules.days_left(m.deadline, day) or 0) <= DUE_SOON_DAYS)
    count = sum(len(lines) for lines in all_lines)
    wide(options.title.strip() or "整改事项催办单", styles.title, options.title_size * 2.0)
    wide(f"{unit}：", styles.meta_left, lines_height(1, size + 1) + 4)
    ask = (f"请于{cn_date(reply_by)}前" if reply_by else "请尽快")
    if count:
        body = (f"　　截至{cn_date(day)}，贵单位牵头或配合的整改事项尚有{count}项未完成，其中逾期{overdue}项、"
                f"{DUE_SOON_DAYS}天内到期{soon}项。请对照下表抓紧推进，{ask}将最新整改进展和佐证材料"
                f"报送{options.org or '我单位'}。")
    else:  # nothing to chase: no "尚有0项…请抓紧推进"
        body = f"　　截至{cn_date(day)}，贵单位牵头或配合的整改事项均已完成，无需催办。"
    planner = HeightPlanner([sum(WIDTHS)], [False], size + 1)
    wide(body, styles.wrapped, planner.heights([[body]])[0])
    wide("", styles.plain, 6)
    row += 1
    ws.row_dimensions[row].height = lines_height(2, size)
    ws.append([text_cell(ws, h, styles.header) for h in HEADERS]
              + [text_cell(ws, h, styles.plain) for h in ID_HEADERS])
    planner = HeightPlanner(WIDTHS, MERGED, size)
    body_styles = [styles.centred if c else styles.text for c in CENTRED]
    for item, lines in zip(items, all_lines):
        heights = planner.heights([texts for texts, _ in lines])
        first = row + 1
        for k, ((texts, late), height, ids) in enumerate(zip(lines, heights, _ids(item))):
            row += 1
            ws.row_dimensions[row].height = height
            cells = []
            for i, (text, style) in enumerate(zip(texts, body_styles)):
                if i in (5, 6) and late:
                    style = styles.overdue
                cells.append(text_cell(ws, text if (k == 0 or not MERGED[i]) else "", style))
            ws.append(cells + [number_cell(ws, v, styles.plain) for v in ids])
        if len(lines) > 1:
            for i, merged in enumerate(MERGED, start=1):
                if merged:
                    ws.merge(i, first, i, row)
    if not items:
        wide("（该单位目前没有未完成的整改事项。）", styles.wrapped, lines_height(1, size))
    wide("", styles.plain, lines_height(1, size))
    sign = f"{options.org}　　{cn_date(day)}" if options.org else cn_date(day)
    wide(sign, styles.meta_right, lines_height(1, size + 1) + 4)
    contact = f"联系人：{options.filler}　　联系电话：{options.phone}"
    wide(contact, styles.meta_right, lines_height(1, size + 1) + 4)
    _write_marker(wb, ledger, ledger_id, mark)
    styles.discard_scratch(wb)
    save_workbook(wb, target)
    if progress is not None:
        progress(len(items), len(items), "催办单已生成")
    return ReminderResult(target, len(items), count, overdue, soon)
