"""tracker.zipguard: the one check every .xlsx and .docx passes before openpyxl or python-docx
opens it. Each hostile container is refused through the real reader with a Chinese message that
names the file; a normal file of each kind is read."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from tests.core.hostile_files import LAUGHS, good_xlsx_bytes
from tracker import zipguard
from tracker.errors import ImportRejected
from tracker.excel.reading import open_workbook
from tracker.report.reading import read_report_file

_CJK = re.compile(r"[\u4e00-\u9fff]")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN = {"xlsx": "xl/worksheets/sheet1.xml", "docx": "word/document.xml"}


def good_docx_bytes() -> bytes:
    """A small, valid report."""
    document = docx.Document()
    document.add_paragraph("一、存在问题")
    document.add_paragraph("（一）食堂留样不规范。")
    document.add_paragraph("整改措施：开展专项检查。")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


GOOD: dict[str, Callable[[], bytes]] = {"xlsx": good_xlsx_bytes, "docx": good_docx_bytes}


def _read(path: Path) -> object:
    """Through the real reader of the file's kind, as the importers call it."""
    if path.suffix == ".xlsx":
        book = open_workbook(path)
        book.close()
        return book
    return read_report_file(path)


def _refusal(path: Path) -> str:
    with pytest.raises(ImportRejected) as caught:
        _read(path)
    message = caught.value.message
    assert path.name in message, message
    assert _CJK.search(message), message
    return message


def _rebuild(path: Path, kind: str, extra: dict[str, bytes] | None = None,
             replace: dict[str, bytes] | None = None,
             method: int = zipfile.ZIP_DEFLATED) -> Path:
    """The good file of ``kind`` with parts swapped and added (added parts use ``method``)."""
    src = zipfile.ZipFile(io.BytesIO(GOOD[kind]()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, data in (extra or {}).items():
            out.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


def _patch_central(path: Path, member: str, offset: int, fmt: str, value: int) -> None:
    """Overwrite one field of ``member``'s central directory entry (what zipfile trusts)."""
    data = bytearray(path.read_bytes())
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack("<H", data[pos + 28: pos + 30])[0]
        if bytes(data[pos + 46: pos + 46 + name_len]) == member.encode():
            struct.pack_into(fmt, data, pos + offset, value)
            path.write_bytes(bytes(data))
            return
        pos = data.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(f"{member} not found")


def _laughs(kind: str) -> bytes:
    """The billion laughs as the main part of ``kind``."""
    if kind == "xlsx":
        return LAUGHS
    return (LAUGHS[: LAUGHS.index(b"<worksheet")]
            + f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
              "</w:body></w:document>".encode())


KINDS = ["xlsx", "docx"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_normal_file_is_read(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"正常.{kind}"
    path.write_bytes(GOOD[kind]())
    names = zipguard.check_container(path, kind)
    assert MAIN[kind] in names
    result = _read(path)
    if kind == "docx":
        assert "食堂留样不规范" in str(result)


@pytest.mark.parametrize("kind", KINDS)
def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path: Path, kind: str) -> None:
    # 8 MB of one byte packs into ~8 KB: a thousand to one, under every size limit.
    path = _rebuild(tmp_path / f"压缩炸弹.{kind}", kind, extra={"media/pad.bin": b"<" * (8 << 20)})
    assert path.stat().st_size < 200_000
    message = _refusal(path)
    assert "压缩比异常" in message and "压缩炸弹" in message


@pytest.mark.parametrize("kind", KINDS)
def test_too_many_members_are_refused(tmp_path: Path, kind: str) -> None:
    extra = {f"media/{i}.bin": b"" for i in range(zipguard.MAX_MEMBERS + 1)}
    message = _refusal(_rebuild(tmp_path / f"部件太多.{kind}", kind, extra=extra))
    assert "个部件，超过上限" in message


@pytest.mark.parametrize("kind", KINDS)
def test_a_member_claiming_a_huge_size_is_refused_unread(tmp_path: Path, kind: str) -> None:
    path = _rebuild(tmp_path / f"谎称巨大.{kind}", kind)
    _patch_central(path, MAIN[kind], 24, "<I", 0xFFFFFFF0)  # uncompressed size: ~4 GB
    assert "解压后过大" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_large_total_is_refused(tmp_path: Path, kind: str) -> None:
    path = _rebuild(tmp_path / f"总量过大.{kind}", kind,
                    extra={f"media/{i}.bin": b"" for i in range(12)})
    for i in range(12):  # each under the part limit, together over the total
        _patch_central(path, f"media/{i}.bin", 24, "<I", 55 * zipguard.MB)
        _patch_central(path, f"media/{i}.bin", 20, "<I", zipguard.MB)  # a plausible 55:1
    message = _refusal(path)
    assert "解压后过大" in message and "共" in message


@pytest.mark.parametrize("kind", KINDS)
def test_a_non_zip_renamed_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"其实是文本.{kind}"
    path.write_text("序号,存在问题\n1,食堂留样不规范\n", encoding="gbk")
    label = "Excel 工作簿" if kind == "xlsx" else "Word 文档"
    assert f"不是 {label}" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_zip_with_data_in_front_is_refused(tmp_path: Path, kind: str) -> None:
    # zipfile would open it (it finds the directory from the end), openpyxl too: a polyglot.
    path = tmp_path / f"前面有东西.{kind}"
    path.write_bytes(b"MZ" + b"\0" * 1000 + GOOD[kind]())
    assert "不是" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_truncated_zip_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"下载不完整.{kind}"
    data = GOOD[kind]()
    path.write_bytes(data[: len(data) // 2])
    assert "已损坏" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_an_encrypted_member_is_refused(tmp_path: Path, kind: str) -> None:
    # zipfile cannot write ZipCrypto; the flag bit is what marks a member encrypted.
    path = _rebuild(tmp_path / f"加密部件.{kind}", kind)
    _patch_central(path, MAIN[kind], 8, "<H", 0x1)
    assert "已加密" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_an_unusual_compression_method_is_refused(tmp_path: Path, kind: str) -> None:
    path = _rebuild(tmp_path / f"压缩方式.{kind}", kind, extra={"media/x.bin": b"x" * 100},
                    method=zipfile.ZIP_LZMA)
    assert "不受支持的压缩方式" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("member", ["../outside.xml", "/etc/abs.xml", "C:/win.xml", "a/../../b.xml"])
def test_path_tricks_are_refused(tmp_path: Path, kind: str, member: str) -> None:
    path = _rebuild(tmp_path / f"路径花招.{kind}", kind, extra={member: b"<a/>"})
    assert "指向文件以外" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_duplicated_part_is_refused(tmp_path: Path, kind: str) -> None:
    # Readers disagree on which copy they take; the second differs only in case.
    path = _rebuild(tmp_path / f"重复部件.{kind}", kind, extra={MAIN[kind].upper(): b"<a/>"})
    assert "重复的部件" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_billion_laughs_in_the_main_part_is_refused(tmp_path: Path, kind: str) -> None:
    path = _rebuild(tmp_path / f"XML炸弹.{kind}", kind, replace={MAIN[kind]: _laughs(kind)})
    message = _refusal(path)
    assert "XML 炸弹" in message and "实体定义" in message and "不安全的 XML" in message


@pytest.mark.parametrize("kind", KINDS)
def test_billion_laughs_behind_a_long_comment_is_refused(tmp_path: Path, kind: str) -> None:
    head, _, rest = _laughs(kind).partition(b"\n")
    bomb = head + b"\n<!--" + b" " * 300_000 + b"-->" + rest
    path = _rebuild(tmp_path / f"藏起来的XML炸弹.{kind}", kind, replace={MAIN[kind]: bomb})
    assert "XML 炸弹" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_billion_laughs_in_utf16_is_refused(tmp_path: Path, kind: str) -> None:
    bomb = _laughs(kind).replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>')
    bomb = b"\xff\xfe" + bomb.decode().encode("utf-16-le")
    path = _rebuild(tmp_path / f"UTF16炸弹.{kind}", kind, replace={MAIN[kind]: bomb})
    assert "XML 炸弹" in _refusal(path)


def _with_content_type(kind: str, declaration: bytes) -> bytes:
    """The good file's [Content_Types].xml with one more Default or Override."""
    types = zipfile.ZipFile(io.BytesIO(GOOD[kind]())).read("[Content_Types].xml")
    return types.replace(b"</Types>", declaration + b"</Types>")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("declaration", [
    b'<Override PartName="/media/data.bin" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.worksheet+xml"/>',
    b'<Default Extension="bin" ContentType="application/xml"/>',
])
def test_a_dtd_in_a_part_with_an_odd_name_is_refused(tmp_path: Path, kind: str,
                                                      declaration: bytes) -> None:
    # A relationship may point at any name: a part declared XML is checked whatever its name.
    path = _rebuild(tmp_path / f"改名的部件.{kind}", kind, extra={"media/data.bin": _laughs(kind)},
                    replace={"[Content_Types].xml": _with_content_type(kind, declaration)})
    assert "XML 炸弹" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_doctype_in_an_svg_image_or_html_chunk_is_accepted(tmp_path: Path, kind: str) -> None:
    # Word stores SVG pictures and imported HTML (altChunk) as they came; neither reader
    # parses them, and a DOCTYPE is normal there.
    svg = (b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
           b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg"/>')
    html = b"<!DOCTYPE html><html><body><p>x</p></body></html>"
    declaration = (b'<Default Extension="svg" ContentType="image/svg+xml"/>'
                   b'<Default Extension="htm" ContentType="text/html"/>')
    path = _rebuild(tmp_path / f"带图片.{kind}", kind,
                    extra={"media/image1.svg": svg, "media/afchunk.htm": html},
                    replace={"[Content_Types].xml": _with_content_type(kind, declaration)})
    assert "media/image1.svg" in zipguard.check_container(path, kind)
    _read(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_dtd_in_the_content_types_is_refused(tmp_path: Path, kind: str) -> None:
    types = _with_content_type(kind, b"").replace(
        b"<Types", b'<!DOCTYPE x [<!ENTITY e "e">]><Types', 1)
    path = _rebuild(tmp_path / f"类型表炸弹.{kind}", kind, replace={"[Content_Types].xml": types})
    assert "XML 炸弹" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_encoding_still_has_its_dtd_found(tmp_path: Path, kind: str) -> None:
    # expat cannot read GBK; the byte scan of the first part still sees the DOCTYPE.
    bomb = _laughs(kind).replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="GBK"?>')
    path = _rebuild(tmp_path / f"GBK炸弹.{kind}", kind, replace={MAIN[kind]: bomb})
    assert "XML 炸弹" in _refusal(path)


def test_limits_live_in_one_place() -> None:
    assert set(zipguard.KINDS) == {"xlsx", "docx", "package"}  # package: tests/core/test_package_hostile.py
    assert zipguard.KINDS["docx"].max_member_bytes < zipguard.KINDS["docx"].max_total_bytes


@pytest.mark.parametrize("kind", KINDS)
def test_both_readers_go_through_the_guard(tmp_path: Path, kind: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, str]] = []

    def refuse(path: Path, asked: str) -> list[str]:
        seen.append((path.name, asked))
        raise zipguard.ContainerRejected(f"“{path.name}”被守卫拒绝。")

    monkeypatch.setattr(zipguard, "check_container", refuse)
    path = tmp_path / f"正常.{kind}"
    path.write_bytes(GOOD[kind]())
    assert "被守卫拒绝" in _refusal(path)
    assert seen == [(path.name, kind)]


@pytest.mark.parametrize("kind", KINDS)
def test_an_end_record_understating_the_count_is_still_caught(tmp_path: Path, kind: str) -> None:
    # zipfile walks the directory by its byte size, not by the count the end record states.
    extra = {f"media/{i}.bin": b"" for i in range(zipguard.MAX_MEMBERS + 1)}
    path = _rebuild(tmp_path / f"少报数量.{kind}", kind, extra=extra)
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 5, 5)
    path.write_bytes(bytes(data))
    assert "个部件，超过上限" in _refusal(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_huge_directory_is_refused_before_zipfile_reads_it(tmp_path: Path, kind: str) -> None:
    path = _rebuild(tmp_path / f"目录过大.{kind}", kind)
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, data.rfind(b"PK\x05\x06") + 12, zipguard.MAX_DIRECTORY_BYTES + 1)
    path.write_bytes(bytes(data))
    assert "压缩包目录" in _refusal(path)
