"""A unit's returned 材料包 (.zip): refused whole by the zip guard when hostile, its ledger read
as a returned ledger, and the files of each problem folder (matched by the 编号 the folder name
starts with, never guessed) planned for attaching: listed in the dry run, hashed so content
the problem already has is not stored twice, and read again only inside the import's own
transaction (tracker.services.imports.apply_plan's ``attachments``)."""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from tracker.closeout_model import size_words
from tracker.db.engine import Ledger
from tracker.errors import ImportRejected
from tracker.excel.import_marker import ExportMarker
from tracker.excel.import_plan import ImportOptions, ImportPlan, build_plan
from tracker.excel.package import EVIDENCE_DIR, README
from tracker.excel.reading import MAX_FILE_BYTES, WorkbookData, open_workbook
from tracker.services.closeout_settings import closeout_settings
from tracker.services.evidence import PendingFile, evidence_by_problem
from tracker.services.identity import new_since
from tracker.services.queries import get_problems
from tracker.text import safe_file_name
from tracker.zipguard import check_container, member_name

ProgressFn = Callable[[int, int, str], None]
_FOLDER_ID = re.compile(r"\s*(\d{1,12})(?!\d)")
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}  # what file managers leave behind
_LEDGER_SUFFIXES = (".xlsx", ".xlsm")
_STREAM = 1024 * 1024


@dataclass(frozen=True)
class PackageEntry:
    """One file of the package: its member name (to read it) and where it sits."""

    entry: str  # ZipInfo.filename, exactly as stored
    parts: tuple[str, ...]  # its path as its writer meant it, root folder removed
    size: int


@dataclass(frozen=True)
class PackageLayout:
    """The package opened: the ledger taken out into a working folder, the problem folders."""

    path: Path
    ledger: Path  # the extracted .xlsx
    folders: dict[str, list[PackageEntry]]  # folder name -> the files in it (any depth)
    skipped: tuple[tuple[str, str], ...]  # (file, why it is not attached)


@dataclass(frozen=True)
class PlannedFile:
    """A file that goes to a problem, or is left out because the problem already has it."""

    problem_id: int
    folder: str
    entry: str
    name: str
    size: int
    sha256: str
    same_as: str = ""  # the identical file already there (on the problem, or earlier here)


@dataclass(frozen=True)
class PackagePlan:
    """The ledger's import plan and what happens to every file of the package."""

    path: Path
    plan: ImportPlan
    files: tuple[PlannedFile, ...] = ()
    unmatched: tuple[tuple[str, str], ...] = ()  # (folder, why no problem)
    skipped: tuple[tuple[str, str], ...] = ()
    note: str = ""  # what each attached file says of where it came from

    @property
    def new_files(self) -> list[PlannedFile]:
        """The files that will be stored."""
        return [f for f in self.files if not f.same_as]

    def pending(self) -> list[PendingFile]:
        """What apply_plan attaches, each read again from the zip inside its transaction."""
        new = self.new_files
        reader = _Reader(self.path, len(new))
        return [PendingFile(f.problem_id, f.name, f.size, f.sha256, partial(reader.read, f.entry),
                            self.note) for f in new]

    def lines(self) -> list[str]:
        """The dry run's list: files per problem, identical ones, folders and files left out."""
        out = [f"材料包“{self.path.name}”中的佐证材料："]
        by_problem: dict[int, list[PlannedFile]] = {}
        for f in self.files:
            by_problem.setdefault(f.problem_id, []).append(f)
        for pid, files in by_problem.items():
            new = [f for f in files if not f.same_as]
            folders = "、".join(dict.fromkeys(f"“{f.folder}”" for f in files))
            head = f"  问题{pid}（文件夹{folders}）："
            out.append(head + (f"将上传 {len(new)} 个：" + "、".join(
                f"{f.name}（{size_words(f.size)}）" for f in new) if new else "没有新的材料"))
            for f in files:
                if f.same_as:
                    out.append(f"    {f.name}：与已有的“{f.same_as}”内容相同，不再上传")
        if not self.files:
            out.append("  （问题文件夹中没有文件）")
        if self.unmatched:
            out.append("  未对应到问题的文件夹（其中的文件不上传）：")
            out += [f"    “{folder}”：{why}" for folder, why in self.unmatched]
        if self.skipped:
            out.append("  未上传的文件：")
            out += [f"    “{name}”：{why}" for name, why in self.skipped]
        out.append(f"将上传 {len(self.new_files)} 个佐证材料。")
        return out


class _Reader:
    """Reads members through one open zip, closed after the last expected read: opening it
    per file parses the whole directory each time (400 files: 2.3 s of a 6 s import)."""

    def __init__(self, path: Path, reads: int) -> None:
        self.path = path
        self.left = reads
        self.zf: zipfile.ZipFile | None = None

    def read(self, entry: str) -> bytes:
        """One member's bytes (zipfile checks its CRC at the end)."""
        try:
            if self.zf is None:
                self.zf = zipfile.ZipFile(self.path)
            return self.zf.read(entry)
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError) as exc:
            raise ImportRejected(f"无法读取材料包“{self.path.name}”中的“{entry}”：文件在检查之后被修改"
                                 "或移走了，没有导入任何内容。请重新检查后再导入。") from exc
        finally:
            self.left -= 1
            if self.left <= 0 and self.zf is not None:
                self.zf.close()
                self.zf = None


def _is_junk(parts: tuple[str, ...]) -> bool:
    name = parts[-1].casefold()
    return (parts[0].casefold() == "__macosx" or name in _JUNK_NAMES
            or name.startswith(("~$", "._")))  # Office lock files, macOS resource forks


def _entries(zf: zipfile.ZipFile) -> list[PackageEntry]:
    out = []
    for info in zf.infolist():
        parts = tuple(p for p in member_name(info).replace("\\", "/").split("/") if p not in ("", "."))
        if not info.is_dir() and parts and not _is_junk(parts):
            out.append(PackageEntry(info.filename, parts, info.file_size))
    # A unit often zips the folder it unpacked: one folder at the root holding everything.
    roots = {e.parts[0] for e in out}
    if len(roots) == 1 and all(len(e.parts) > 1 for e in out) and roots != {EVIDENCE_DIR}:
        out = [PackageEntry(e.entry, e.parts[1:], e.size) for e in out]
    return out


def read_package(path: Path, workdir: Path) -> PackageLayout:
    """Check the zip whole, take its ledger out into ``workdir`` and sort its files by folder."""
    if not path.is_file() or path.stat().st_size == 0:
        raise ImportRejected(f"无法导入“{path.name}”：文件不存在或是空的。")
    check_container(path, "package")
    folders: dict[str, list[PackageEntry]] = {}
    skipped: list[tuple[str, str]] = []
    ledgers: list[PackageEntry] = []
    with zipfile.ZipFile(path) as zf:
        for e in _entries(zf):
            if len(e.parts) == 1:
                if e.parts[0].lower().endswith(_LEDGER_SUFFIXES):
                    ledgers.append(e)
                elif e.parts[0] != README:
                    skipped.append((e.parts[0], "不在问题文件夹中"))
            elif e.parts[0] == EVIDENCE_DIR and len(e.parts) == 2:
                skipped.append(("/".join(e.parts), "不在问题文件夹中"))
            else:
                folder = e.parts[1] if e.parts[0] == EVIDENCE_DIR else e.parts[0]
                folders.setdefault(folder, []).append(e)
        if len(ledgers) != 1:
            found = "、".join(f"“{e.parts[0]}”" for e in ledgers)
            raise ImportRejected(
                f"无法导入“{path.name}”：材料包的第一层应有且只有一个台账（.xlsx），" + (
                    f"现有 {len(ledgers)} 个：{found}。请只保留交回的那一个。" if ledgers
                    else "但没有找到。请把填好的台账和“佐证材料”文件夹一起压缩后再导入。"))
        if ledgers[0].size > MAX_FILE_BYTES:  # refused before it is unpacked, not after
            raise ImportRejected(f"无法导入“{path.name}”：其中的台账“{ledgers[0].parts[0]}”有 "
                                 f"{size_words(ledgers[0].size)}，超过导入上限 {size_words(MAX_FILE_BYTES)}。")
        target = workdir / safe_file_name(ledgers[0].parts[0], fallback="台账.xlsx")
        try:
            with zf.open(ledgers[0].entry) as src, target.open("wb") as out:
                while chunk := src.read(_STREAM):
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ImportRejected(f"无法导入“{path.name}”：其中的“{ledgers[0].parts[0]}”已损坏。") from exc
    return PackageLayout(path, target, folders, tuple(skipped))


def _hash(zf: zipfile.ZipFile, path: Path, e: PackageEntry) -> str:
    digest = hashlib.sha256()
    try:
        with zf.open(e.entry) as src:
            while chunk := src.read(_STREAM):
                digest.update(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ImportRejected(f"无法导入“{path.name}”：其中的“{'/'.join(e.parts)}”已损坏"
                             "（解压校验失败），没有导入任何内容。请重新压缩后再导入。") from exc
    return digest.hexdigest()


def _problem_for(folders: list[str], ledger: Ledger, plan: ImportPlan,
                 book: WorkbookData) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Each folder's problem by the 编号 its name starts with, or why it has none."""
    numbered = {f: int(m.group(1)) for f in folders if (m := _FOLDER_ID.match(f))}
    unmatched = [(f, "文件夹名开头没有问题编号") for f in folders if f not in numbered]
    if not plan.is_round_trip:
        why = "台账不是从本台账导出后交回的（或作为新问题导入），文件夹编号无法对应到问题"
        return {}, unmatched + [(f, why) for f in numbered]
    marker = ExportMarker.read(book)
    created = new_since(ledger, marker.history_mark, marker.exported_at).problems if marker else set()
    stored = {p.id for p in get_problems(ledger, sorted(set(numbered.values())))}
    matched = {}
    for f, pid in numbered.items():
        if pid in created:
            unmatched.append((f, f"问题{pid}是导出之后新建的，不是台账中的那个问题"))
        elif pid not in stored:
            unmatched.append((f, f"台账中没有编号为 {pid} 的问题（可能已被删除）"))
        else:
            matched[f] = pid
    return matched, unmatched


def plan_files(ledger: Ledger, layout: PackageLayout, plan: ImportPlan, book: WorkbookData,
               progress: ProgressFn | None = None) -> PackagePlan:
    """What happens to each file of the package once the ledger's plan is known."""
    matched, unmatched = _problem_for(sorted(layout.folders), ledger, plan, book)
    limit = closeout_settings(ledger).evidence_limit_mb
    have = {pid: {e.sha256: e.name for e in rows}
            for pid, rows in evidence_by_problem(ledger, set(matched.values())).items()}
    files: list[PlannedFile] = []
    skipped = list(layout.skipped)
    todo = [(folder, e) for folder in sorted(matched) for e in layout.folders[folder]]
    with zipfile.ZipFile(layout.path) as zf:
        for k, (folder, e) in enumerate(todo):
            if progress is not None:
                progress(k, len(todo), f"正在检查佐证材料（{k + 1}/{len(todo)}）…")
            shown = "/".join(e.parts)
            if e.size == 0:
                skipped.append((shown, "空文件（0 字节）"))
                continue
            if e.size > limit * 1024 * 1024:
                raise ImportRejected(
                    f"无法导入“{layout.path.name}”：其中的“{shown}”有 {size_words(e.size)}，超过每个"
                    f"佐证材料 {limit} MB 的上限（可在首选项或 rectify config 中调整），没有导入任何内容。")
            pid = matched[folder]
            digest = _hash(zf, layout.path, e)
            known = have.setdefault(pid, {})
            name = safe_file_name(e.parts[-1])
            files.append(PlannedFile(pid, folder, e.entry, name, e.size, digest,
                                     known.get(digest, "")))
            known.setdefault(digest, name)
    return PackagePlan(layout.path, plan, tuple(files), tuple(unmatched), tuple(skipped),
                       f"随材料包“{layout.path.name}”报送")


def plan_package(ledger: Ledger, path: Path, workdir: Path,
                 options: ImportOptions = ImportOptions(),
                 progress: ProgressFn | None = None) -> PackagePlan:
    """Open the package, plan its ledger as a returned ledger and plan its files."""
    layout = read_package(path, workdir)
    book = open_workbook(layout.ledger)
    try:
        plan = build_plan(ledger, book, options, progress)
        if plan.errors:
            return PackagePlan(path, plan, skipped=layout.skipped)
        return plan_files(ledger, layout, plan, book, progress)
    finally:
        book.close()
