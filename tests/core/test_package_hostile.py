"""A unit's package is refused whole, with a Chinese message naming the zip and the entry, when
an entry points outside its folder, is a link, is encrypted, or unpacks past a size or count
limit; names that are only odd (reserved Windows names, control characters, trailing dots, GBK
without the UTF-8 flag) are cleaned and attached."""

from __future__ import annotations

import re
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from tracker import zipguard
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemInput
from tracker.errors import ImportRejected
from tracker.excel.package import EVIDENCE_DIR, write_package
from tracker.excel.package_plan import plan_package
from tracker.services.evidence import list_evidence
from tracker.services.imports import apply_plan
from tracker.services.problems import create_problem

_CJK = re.compile(r"[\u4e00-\u9fff]")
FOLDER = f"{EVIDENCE_DIR}/1-食堂留样/"


@pytest.fixture
def base(ledger: Ledger, tmp_path: Path) -> dict[str, bytes]:
    """The members of a freshly exported package of one problem."""
    create_problem(ledger, ProblemInput("食堂留样", measures=(MeasureInput("检查"),)))
    package = write_package(ledger, tmp_path / "包.zip").path
    with zipfile.ZipFile(package) as zf:
        return {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}


def _package(path: Path, base: dict[str, bytes], extra: dict[str | zipfile.ZipInfo, bytes]
             ) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in base.items():
            zf.writestr(name, data)
        for entry, data in extra.items():
            zf.writestr(entry, data)
    return path


def _patch_central(path: Path, member: bytes, offset: int, fmt: str, value: int) -> None:
    """Overwrite one field of ``member``'s central directory entry (what zipfile trusts)."""
    data = bytearray(path.read_bytes())
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack("<H", data[pos + 28: pos + 30])[0]
        if bytes(data[pos + 46: pos + 46 + name_len]) == member:
            struct.pack_into(fmt, data, pos + offset, value)
            path.write_bytes(bytes(data))
            return
        pos = data.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(f"{member!r} not found")


def _refusal(ledger: Ledger, path: Path, entry: str, work: Path) -> str:
    with pytest.raises(ImportRejected) as caught:
        plan_package(ledger, path, work)
    message = caught.value.message
    assert path.name in message and entry in message, message
    assert _CJK.search(message)
    return message


@pytest.mark.parametrize("entry", [
    "../越界.pdf", f"{FOLDER}../../../越界.pdf", "/etc/passwd", "C:/Windows/越界.pdf",
    "C:越界.pdf", "..\\..\\越界.pdf", f"{EVIDENCE_DIR}\\..\\..\\越界.pdf", "\\\\server\\share\\越界.pdf",
])
def test_an_entry_pointing_outside_its_folder_is_refused(
        ledger: Ledger, base: dict[str, bytes], tmp_path: Path, entry: str) -> None:
    path = _package(tmp_path / "越界.zip", base, {entry: b"%PDF"})
    assert "指向文件以外" in _refusal(ledger, path, "越界.pdf" if "越界" in entry else entry, tmp_path)


def test_a_symlink_entry_is_refused(ledger: Ledger, base: dict[str, bytes], tmp_path: Path) -> None:
    link = zipfile.ZipInfo(FOLDER + "链接.pdf")
    link.create_system = 3  # Unix: the high half of external_attr is the file's mode
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = _package(tmp_path / "链接.zip", base, {link: b"/etc/passwd"})
    assert "符号链接" in _refusal(ledger, path, "链接.pdf", tmp_path)


def test_an_encrypted_entry_is_refused(ledger: Ledger, base: dict[str, bytes], tmp_path: Path) -> None:
    # zipfile cannot write ZipCrypto; the flag bit is what marks a member encrypted.
    path = _package(tmp_path / "加密.zip", base, {FOLDER + "secret.pdf": b"%PDF"})
    _patch_central(path, (FOLDER + "secret.pdf").encode(), 8, "<H", 0x1 | 0x800)
    assert "已加密" in _refusal(ledger, path, "secret.pdf", tmp_path)


def test_a_zip_bomb_entry_is_refused_by_its_ratio(ledger: Ledger, base: dict[str, bytes],
                                                  tmp_path: Path) -> None:
    path = _package(tmp_path / "炸弹.zip", base, {FOLDER + "bomb.pdf": b"\0" * (8 << 20)})
    assert path.stat().st_size < 200_000
    assert "压缩比异常" in _refusal(ledger, path, "bomb.pdf", tmp_path)


def test_an_entry_past_the_size_limit_is_refused_unread(ledger: Ledger, base: dict[str, bytes],
                                                        tmp_path: Path) -> None:
    path = _package(tmp_path / "过大.zip", base, {FOLDER + "huge.pdf": b"%PDF"})
    _patch_central(path, (FOLDER + "huge.pdf").encode(), 24, "<I", 0xFFFFFFF0)  # ~4 GB
    assert "解压后过大" in _refusal(ledger, path, "huge.pdf", tmp_path)


def test_a_total_past_the_limit_is_refused(ledger: Ledger, base: dict[str, bytes],
                                           tmp_path: Path) -> None:
    names = [f"{FOLDER}{i}.pdf" for i in range(3)]
    path = _package(tmp_path / "总量.zip", base, {n: b"%PDF" for n in names})
    for n in names:  # each under the file limit, together over the total, at a plausible 2:1
        _patch_central(path, n.encode(), 24, "<I", 1800 * zipguard.MB)
        _patch_central(path, n.encode(), 20, "<I", 900 * zipguard.MB)
    with pytest.raises(ImportRejected) as caught:
        plan_package(ledger, path, tmp_path)
    assert "总量.zip" in caught.value.message and "超过上限 4096 MB" in caught.value.message


def test_many_small_entries_are_refused_by_the_whole_ratio(ledger: Ledger, base: dict[str, bytes],
                                                           tmp_path: Path) -> None:
    # Each claims 4 MB (under the per-entry ratio floor); the zip is a few KB.
    names = [f"{FOLDER}{i}.pdf" for i in range(30)]
    path = _package(tmp_path / "小炸弹.zip", base, {n: b"%PDF" for n in names})
    for n in names:
        _patch_central(path, n.encode(), 24, "<I", 4 * zipguard.MB)
    with pytest.raises(ImportRejected) as caught:
        plan_package(ledger, path, tmp_path)
    assert "小炸弹.zip" in caught.value.message and "压缩比异常" in caught.value.message


def test_too_many_entries_are_refused(ledger: Ledger, base: dict[str, bytes], tmp_path: Path) -> None:
    limit = zipguard.KINDS["package"].max_members
    path = _package(tmp_path / "太多.zip", base,
                    {f"{FOLDER}{i}.txt": b"" for i in range(limit + 1)})
    with pytest.raises(ImportRejected) as caught:
        plan_package(ledger, path, tmp_path)
    assert "太多.zip" in caught.value.message and f"超过上限 {limit} 个" in caught.value.message


def test_odd_names_are_cleaned_and_attached(ledger: Ledger, base: dict[str, bytes],
                                            tmp_path: Path) -> None:
    path = _package(tmp_path / "怪名.zip", base, {
        FOLDER + "CON.pdf": b"%PDF con", FOLDER + "报告\x07\x1b.pdf": b"%PDF ctl",
        FOLDER + "照片.jpg. . ": b"\xff\xd8 dots", FOLDER + "NUL": b"nul",
        FOLDER + "com1.txt": b"com1"})
    planned = plan_package(ledger, path, tmp_path)
    apply_plan(ledger, planned.plan, attachments=planned.pending())
    names = sorted(e.name for e in list_evidence(ledger, 1))
    assert names == sorted(["_CON.pdf", "报告.pdf", "照片.jpg", "_NUL", "_com1.txt"]), names
    for name in names:
        assert name == name.rstrip(". ") and name.isprintable()


def test_gbk_names_without_the_utf8_flag_are_read_as_written(
        ledger: Ledger, base: dict[str, bytes], tmp_path: Path) -> None:
    # Windows' "send to compressed folder" on a Chinese system: GBK bytes, no UTF-8 flag.
    wanted = (FOLDER + "整改报告.pdf").encode("gbk")
    stand_in = "x" * len(wanted)
    path = _package(tmp_path / "国标.zip", base, {stand_in: b"%PDF gbk"})
    path.write_bytes(path.read_bytes().replace(stand_in.encode(), wanted))
    planned = plan_package(ledger, path, tmp_path)
    assert [(f.problem_id, f.name) for f in planned.files] == [(1, "整改报告.pdf")]
