"""材料包 (`rectify export --package OUT.zip`): the ledger a unit fills in, an empty folder per
problem for its evidence (佐证材料), and a 说明.txt telling the unit what to do. The unit zips it
back and `rectify import-excel` (tracker.excel.package_plan) applies the ledger and attaches the
files of each folder to its problem."""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter
from tracker.errors import StorageError, ValidationError
from tracker.excel.atomic import replaced_whole
from tracker.excel.archive import folder_name
from tracker.excel.export import ExportResult, export_ledger
from tracker.excel.export_data import select_problems
from tracker.excel.export_options import ExportOptions, checked_options
from tracker.services.closeout_settings import closeout_settings
from tracker.services.queries import get_problems
from tracker.summary import cn_date
from tracker.text import clean_text, safe_file_name
from tracker.zipguard import KINDS

EVIDENCE_DIR = "佐证材料"
README = "说明.txt"
CHUNK = 900


@dataclass(frozen=True)
class PackageResult:
    """What the package holds: the ledger export and one folder per problem."""

    path: Path
    ledger_name: str  # the .xlsx inside
    folders: int
    ledger: ExportResult


def readme_text(ledger_name: str, folders: int, limit_mb: int, org: str, day_words: str) -> str:
    """说明.txt: what the unit does with the package, in the words of a notice."""
    to = f"报送{org}" if org else "按原渠道报送"
    lines = [
        "整改台账及佐证材料报送说明",
        "",
        f"本材料包于{day_words}导出，含台账“{ledger_name}”和“{EVIDENCE_DIR}”文件夹"
        f"（{folders} 个问题，每个问题一个文件夹）。",
        "",
        f"一、在“{ledger_name}”中填写各问题的整改进展和完成情况。请在原表上填写，不要删除、插入"
        "或移动列，不要改动表中隐藏的编号。",
        f"二、把每个问题的佐证材料（整改报告、会议纪要、制度文件、照片、扫描件等）放进“{EVIDENCE_DIR}”"
        "中该问题的文件夹。文件夹名开头的数字是问题编号，请不要修改；没有材料的问题，文件夹留空即可。",
        f"三、单个文件不超过 {limit_mb} MB；压缩包不要设置密码；文件名中不要使用“\\ / : * ? \" < > |”等符号。",
        f"四、填好后，把台账和“{EVIDENCE_DIR}”文件夹一起压缩为一个 .zip 文件，{to}。",
        "",
    ]
    return "\r\n".join(lines)  # Windows Notepad shows \n-only files on one line in older versions


def write_package(
    ledger: Ledger, path: str | os.PathLike[str], flt: ProblemFilter = ProblemFilter(),
    options: ExportOptions = ExportOptions(),
    progress: Callable[[int, int, str], None] | None = None,
) -> PackageResult:
    """Write the package of the problems ``flt`` selects to ``path`` (.zip), whole or not at all."""
    target = Path(path)
    if target.suffix.lower() != ".zip":
        raise ValidationError(f"材料包“{target.name}”应以 .zip 结尾。")
    if not target.parent.is_dir():
        raise StorageError(f"文件夹“{target.parent}”不存在，无法导出。")
    options = checked_options(options)
    # The problems of the ledger's main sheet, chosen as export_ledger chooses them.
    shown = replace(flt, as_of=flt.as_of or options.day, unit=clean_text(flt.unit).strip() or None)
    ids = select_problems(ledger, shown).ids
    limit = KINDS["package"].max_members - 2  # what the import accepts: the ledger, 说明.txt, folders
    if len(ids) > limit:
        raise ValidationError(f"筛选出 {len(ids)} 个问题，超过一个材料包的上限 {limit} 个。"
                              "请按单位或来源筛选后分别导出。")
    ledger_name = safe_file_name(target.stem, fallback="整改台账") + ".xlsx"
    with replaced_whole(target) as part, \
            tempfile.TemporaryDirectory(prefix="rectify-package-") as tmp:
        book = Path(tmp) / ledger_name
        result = export_ledger(ledger, book, flt, options, progress=progress)
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(book, ledger_name)
            zf.writestr(README, "\ufeff" + readme_text(
                ledger_name, len(ids), closeout_settings(ledger).evidence_limit_mb,
                options.org, cn_date(options.day)))  # the BOM: Notepad and WPS then read UTF-8
            stamp = zf.getinfo(ledger_name).date_time  # not 1980, as ZipFile.mkdir dates them
            taken: set[str] = set()
            for start in range(0, len(ids), CHUNK):
                for p in get_problems(ledger, ids[start:start + CHUNK]):
                    folder = zipfile.ZipInfo(
                        f"{EVIDENCE_DIR}/{folder_name(p.id, p.description, taken)}/", stamp)
                    folder.external_attr = (0o40755 << 16) | 0x10  # a folder, Unix and DOS
                    zf.writestr(folder, b"")
    return PackageResult(target, ledger_name, len(taken), result)
