"""整改销号单: one printable A4 portrait page per problem, for the verifier and the unit's head
to sign: the problem, its source, each measure with its completion, the evidence list, the
verifier's opinion, and signature and date lines."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from tracker import rules
from tracker.closeout_model import EvidenceRow
from tracker.db.engine import Ledger
from tracker.domain import ProblemRow
from tracker.errors import StorageError, ValidationError
from tracker.excel.export import save_workbook
from tracker.excel.export_options import ExportOptions, checked_options
from tracker.excel.export_rows import safe_text
from tracker.excel.layout import HeightPlanner, lines_height
from tracker.excel.office_pdf import NOT_FOUND, convert_to_pdf, find_soffice
from tracker.excel.styles import LedgerStyles
from tracker.excel.writer import setup_page, text_cell
from tracker.excel.writer_stream import StreamSheet
from tracker.services.evidence import evidence_by_problem, unique_name
from tracker.services.queries import get_problems
from tracker.summary import cn_date
from tracker.text import safe_file_name

TITLE = "整改销号单"
# label | value | label | value: 178 mm of A4 portrait at the default margins.
WIDTHS = (21.0, 30.0, 10.0, 25.0)
FULL = sum(WIDTHS[1:])


def _measures_text(p: ProblemRow) -> str:
    lines = []
    for i, m in enumerate(p.measures, start=1):
        done = f"，{cn_date(m.done_on)}完成" if m.done_on else ""
        lines.append(f"{i}．{m.text.strip()}（{m.status.label}{done}；"
                     f"时限：{rules.measure_deadline_words(m) or '未明确'}）")
    return "\n".join(lines) or "（无整改措施）"


def _evidence_text(files: Sequence[EvidenceRow]) -> str:
    if not files:
        return "（未上传佐证材料）"
    return "\n".join(f"{i}．{f.name}（{f.added_on.isoformat()}上传）"
                     for i, f in enumerate(files, start=1))


def _sheet_name(p: ProblemRow, taken: set[str]) -> str:
    base = safe_file_name(f"{p.id}-{p.description[:12]}", fallback=str(p.id))
    # A sheet name holds 31 characters and no [ ]: room is left for unique_name's "(2)".
    return unique_name(base.replace("[", "(").replace("]", ")")[:26], taken)


def _write_form(wb: Workbook, styles: LedgerStyles, p: ProblemRow, files: Sequence[EvidenceRow],
                options: ExportOptions, name: str) -> None:
    ws = StreamSheet.add_to(wb, name)
    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    setup_page(ws, None, landscape=False)
    size = options.font_size + 1
    wide_planner = HeightPlanner([FULL], [False], size)
    half_planner = HeightPlanner([WIDTHS[1]], [False], size)
    row = 0

    def put(cells: list[object], height: float) -> None:
        nonlocal row
        row += 1
        ws.row_dimensions[row].height = height
        ws.append(cells)

    def text(value: str, style: object, header: str) -> object:
        return text_cell(ws, safe_text(value, p, header), style)

    def full(label: str, value: str, min_lines: int = 1) -> None:
        height = max(wide_planner.heights([[value]])[0], lines_height(min_lines, size))
        put([text(label, styles.header, label), text(value, styles.text, label), None, None],
            height)
        ws.merge(2, row, 4, row)

    def pair(a: str, av: str, b: str, bv: str, min_lines: int = 1) -> None:
        height = max(half_planner.heights([[av]])[0], half_planner.heights([[bv]])[0],
                     lines_height(min_lines, size))
        put([text(a, styles.header, a), text(av, styles.text, a), text(b, styles.header, b),
             text(bv, styles.text, b)], height)

    put([text(TITLE, styles.title, TITLE), None, None, None], options.title_size * 2.0)
    ws.merge(1, row, 4, row)
    org = f"填报单位：{options.org}" if options.org else ""
    put([text(f"问题编号：{p.id}（{p.source or '未填来源'}第{p.seq}号）", styles.meta_left, "编号"),
         None, text(org, styles.meta_right, "填报单位"), None], lines_height(1, size) + 4)
    ws.merge(1, row, 2, row)
    ws.merge(3, row, 4, row)
    full("问题来源", p.source or "")
    full("存在问题", p.description, 3)
    if p.goal.strip():
        full("整改目标", p.goal)
    pair("牵头单位", p.lead_unit, "责任人", p.owner)
    pair("整改时限", p.deadline_text, "整改状态", p.status.label)
    full("整改措施及完成情况", _measures_text(p), 5)
    full("佐证材料", _evidence_text(files), 3)
    full("核验意见", p.closeout_note, 7)
    closed = cn_date(p.closeout_on) if p.closeout_on else "　　年　　月　　日"
    # Room for a handwritten signature on each line.
    pair("核验人（签字）", p.closeout_by, "日期", closed, 3)
    pair("责任单位负责人（签字）", "", "日期", "　　年　　月　　日", 3)


def export_closeout_forms(
    ledger: Ledger, problem_ids: Sequence[int], path: str | os.PathLike[str],
    options: ExportOptions = ExportOptions(),
    progress: Callable[[int, int, str], None] | None = None,
) -> int:
    """Write one 销号单 page per problem to ``path``: an .xlsx sheet each, or a .pdf page each
    (the workbook converted by LibreOffice); returns how many were written."""
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".pdf"):
        raise ValidationError("销号单保存为 .xlsx 文件（可在 Excel 或 WPS 中打印或另存为 PDF）"
                              "或 .pdf 文件（需要安装 LibreOffice）。")
    if target.suffix.lower() == ".pdf" and find_soffice() is None:
        raise ValidationError(NOT_FOUND)  # said before any work
    if not target.parent.is_dir():
        raise StorageError(f"文件夹“{target.parent}”不存在，无法导出。")
    ids = list(dict.fromkeys(problem_ids))
    if not ids:
        raise ValidationError("请至少选择一个问题。")
    options = checked_options(options)
    rows = get_problems(ledger, ids, with_measures=True)
    missing = sorted(set(ids) - {p.id for p in rows})
    if missing:
        from tracker.errors import NotFoundError

        raise NotFoundError(f"问题（编号 {'、'.join(map(str, missing))}）不存在，可能已被删除。")
    files = evidence_by_problem(ledger, ids)
    wb = Workbook(write_only=True)
    styles = LedgerStyles(wb, options)
    taken: set[str] = set()
    for k, p in enumerate(rows, start=1):
        if progress is not None:
            progress(k - 1, len(rows), f"正在生成第 {k} 张销号单…")
        _write_form(wb, styles, p, files.get(p.id, []), options, _sheet_name(p, taken))
    styles.discard_scratch(wb)
    if target.suffix.lower() == ".xlsx":
        save_workbook(wb, target)
        return len(rows)
    with tempfile.TemporaryDirectory(prefix="rectify-closeout-") as tmp:
        book = Path(tmp) / (safe_file_name(target.stem, fallback=TITLE) + ".xlsx")
        save_workbook(wb, book)
        convert_to_pdf(book, target)
    return len(rows)
