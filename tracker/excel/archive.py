"""一问题一档案: a zip with one folder per problem (named by its 编号 and the first words of its
description) holding its 整改销号单, its change history as a sheet, and its evidence files."""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter
from tracker.errors import StorageError, ValidationError
from tracker.excel.atomic import replaced_whole
from tracker.excel.closeout_form import export_closeout_forms
from tracker.excel.export import save_workbook
from tracker.excel.writer import text_cell
from tracker.services.evidence import evidence_data, list_evidence, unique_name
from tracker.services.history import list_history
from tracker.services.queries import get_problems, problem_ids
from tracker.text import safe_file_name


@dataclass(frozen=True)
class ArchiveResult:
    """What the archive holds."""

    path: Path
    problems: int
    files: int


def folder_name(problem_id: int, description: str, taken: set[str]) -> str:
    """编号-存在问题的开头, cleaned for any file system and unique in the archive."""
    # A separator in the text would make safe_file_name keep only what follows it, and the
    # 编号 the import matches folders by would be lost.
    head = description.strip().replace("\n", " ").replace("/", "_").replace("\\", "_")[:16]
    head = head.rstrip("，。、；：,.;: ")  # a name cut mid-sentence should not end in a comma
    return unique_name(safe_file_name(f"{problem_id}-{head}", fallback=str(problem_id)), taken)


def _history_book(ledger: Ledger, problem_id: int, target: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("修改记录")
    for col, width in zip("ABC", (20, 12, 80)):
        ws.column_dimensions[col].width = width
    ws.append([text_cell(ws, h, None) for h in ("时间", "修改人", "修改内容")])
    for change in reversed(list_history(ledger, problem_id)):  # oldest first, as a file reads
        ws.append([text_cell(ws, change.at.strftime("%Y-%m-%d %H:%M"), None),
                   text_cell(ws, change.user, None), text_cell(ws, change.description, None)])
    save_workbook(wb, target)


def write_archive(ledger: Ledger, flt: ProblemFilter, path: str | os.PathLike[str],
                  progress: Callable[[int, int, str], None] | None = None) -> ArchiveResult:
    """Write the archive of the problems ``flt`` selects to ``path`` (.zip), whole or not at all."""
    target = Path(path)
    if target.suffix.lower() != ".zip":
        raise ValidationError("档案保存为 .zip 文件。")
    if not target.parent.is_dir():
        raise StorageError(f"文件夹“{target.parent}”不存在，无法导出。")
    ids = problem_ids(ledger, flt)
    if not ids:
        raise ValidationError("没有符合条件的问题，没有生成档案。")
    rows = {p.id: p for p in get_problems(ledger, ids)}
    taken: set[str] = set()
    files = 0
    with replaced_whole(target) as part, \
            tempfile.TemporaryDirectory(prefix="rectify-archive-") as tmp, \
            zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
        for k, pid in enumerate(ids, start=1):
            if progress is not None:
                progress(k - 1, len(ids), f"正在整理第 {k} 个问题的档案…")
            folder = folder_name(pid, rows[pid].description, taken)
            form = Path(tmp) / f"{pid}-销号单.xlsx"
            export_closeout_forms(ledger, [pid], form)
            zf.write(form, f"{folder}/整改销号单.xlsx")
            history = Path(tmp) / f"{pid}-修改记录.xlsx"
            _history_book(ledger, pid, history)
            zf.write(history, f"{folder}/修改记录.xlsx")
            names: set[str] = set()
            for item in list_evidence(ledger, pid):
                _, data = evidence_data(ledger, item.id)
                zf.writestr(f"{folder}/佐证材料/{unique_name(item.name, names)}", data)
                files += 1
    return ArchiveResult(target, len(ids), files)
