"""Files built to hurt an importer: zip and XML bombs, lies in the zip directory, wrong formats,
truncation. Each builder writes one file into a folder and returns its path."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SHEET = "xl/worksheets/sheet1.xml"
BOMB_MB = 120  # uncompressed; deflates to ~120 KB


def good_xlsx_bytes() -> bytes:
    """A small, valid ledger workbook to start from."""
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["序号", "存在问题", "整改措施", "牵头单位", "整改时限", "完成情况"])
    for i in range(1, 21):
        ws.append([i, f"问题{i}：食堂留样不规范", f"措施{i}", "市教育局", "2026年12月底前", "整改中"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rebuild(path: Path, replace: dict[str, bytes | Callable[[zipfile.ZipFile], None]]) -> Path:
    """Copy the good workbook, swapping the named parts (a callable writes the part itself)."""
    src = zipfile.ZipFile(io.BytesIO(good_xlsx_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            new = replace.get(info.filename)
            if new is None:
                out.writestr(info.filename, src.read(info.filename))
            elif callable(new):
                new(out)
            else:
                out.writestr(info.filename, new)
    return path


def zip_bomb(folder: Path, name: str = "压缩炸弹.xlsx") -> Path:
    """sheet1.xml is BOMB_MB of cells that compress a thousand to one."""
    def write(out: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo(SHEET)
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org'
                       b'/spreadsheetml/2006/main"><sheetData><row r="1">')
            chunk = b'<c r="A1" t="inlineStr"><is><t>x</t></is></c>' * 20000
            for _ in range(BOMB_MB * 1024 * 1024 // len(chunk)):
                part.write(chunk)
            part.write(b"</row></sheetData></worksheet>")
    return _rebuild(folder / name, {SHEET: write})


def lying_zip(folder: Path) -> Path:
    """A bomb whose zip directory claims the big part is small, to slip past size checks."""
    path = zip_bomb(folder, "谎报大小.xlsx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(SHEET)
        local = info.header_offset
    claimed = struct.pack("<I", 2048)
    # Local header: uncompressed size at +22 (0xFFFFFFFF there means zip64: patch its extra too).
    data[local + 22: local + 26] = claimed
    name_len, extra_len = struct.unpack("<HH", data[local + 26: local + 30])
    extra = local + 30 + name_len
    _patch_zip64(data, extra, extra_len)
    # Central directory entry: uncompressed size at +24.
    central = bytes(data).find(b"PK\x01\x02")
    while central != -1:
        n_len = struct.unpack("<H", data[central + 28: central + 30])[0]
        if bytes(data[central + 46: central + 46 + n_len]) == SHEET.encode():
            data[central + 24: central + 28] = claimed
            e_len = struct.unpack("<H", data[central + 30: central + 32])[0]
            _patch_zip64(data, central + 46 + n_len, e_len)
            break
        central = bytes(data).find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path


def _patch_zip64(data: bytearray, start: int, length: int) -> None:
    """Make a zip64 extra field claim 2048 bytes uncompressed too."""
    pos = start
    while pos + 4 <= start + length:
        tag, size = struct.unpack("<HH", data[pos: pos + 4])
        if tag == 0x0001 and size >= 8:
            data[pos + 4: pos + 12] = struct.pack("<Q", 2048)
        pos += 4 + size


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
          b"</sheetData></worksheet>")


def billion_laughs(folder: Path) -> Path:
    """The classic entity expansion in the sheet XML."""
    return _rebuild(folder / "XML炸弹.xlsx", {SHEET: LAUGHS})


def billion_laughs_hidden(folder: Path) -> Path:
    """The same, its DOCTYPE pushed past the first 100 KB of the part by blank space."""
    head, _, rest = LAUGHS.partition(b"\n")
    return _rebuild(folder / "XML炸弹-藏在后面.xlsx", {SHEET: head + b"\n" + b" " * 100_000 + rest})


def laughs_in_workbook(folder: Path) -> Path:
    """Entity expansion in workbook.xml, in the sheet's name, hidden past the first 100 KB."""
    book = zipfile.ZipFile(io.BytesIO(good_xlsx_bytes())).read("xl/workbook.xml")
    dtd = LAUGHS[LAUGHS.index(b"<!DOCTYPE"): LAUGHS.index(b"]>") + 2]
    bomb = (b'<?xml version="1.0"?>\n' + b" " * 100_000 + dtd
            + book.replace("整改台账".encode(), b"&lol9;"))
    return _rebuild(folder / "工作簿炸弹.xlsx", {"xl/workbook.xml": bomb})


def external_entity(folder: Path) -> Path:
    """An entity that reads a local file (XXE)."""
    xxe = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>'
           b"</sheetData></worksheet>")
    return _rebuild(folder / "外部实体.xlsx", {SHEET: xxe})


def huge_dimension(folder: Path) -> Path:
    """One cell in the last row and column of a sheet: dimension A1:XFD1048576."""
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
             b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
             b"</sheetData></worksheet>")
    return _rebuild(folder / "超大范围.xlsx", {SHEET: sheet})


def empty_file(folder: Path) -> Path:
    """Zero bytes."""
    path = folder / "空文件.xlsx"
    path.write_bytes(b"")
    return path


def random_bytes(folder: Path) -> Path:
    """64 KB of noise."""
    path = folder / "随机字节.xlsx"
    path.write_bytes(random.Random(7).randbytes(65536))
    return path


def text_named_xlsx(folder: Path) -> Path:
    """A text file someone renamed to .xlsx."""
    path = folder / "其实是文本.xlsx"
    path.write_text("序号,存在问题,整改措施\n1,食堂留样不规范,专项检查\n", encoding="gbk")
    return path


def old_xls(folder: Path) -> Path:
    """An Excel 97-2003 file (OLE compound document)."""
    path = folder / "旧版台账.xls"
    path.write_bytes(CFB_MAGIC + random.Random(8).randbytes(8192))
    return path


def encrypted_xlsx(folder: Path) -> Path:
    """A password-protected .xlsx: an OLE file holding EncryptionInfo."""
    path = folder / "加密台账.xlsx"
    path.write_bytes(CFB_MAGIC + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512)
    return path


def truncated_zip(folder: Path) -> Path:
    """A real workbook cut off half way (an interrupted download)."""
    path = folder / "下载不完整.xlsx"
    data = good_xlsx_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def docx_named_xlsx(folder: Path) -> Path:
    """A Word document renamed to .xlsx."""
    path = folder / "其实是Word.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def _docx(path: Path, document: bytes | Callable[[zipfile.ZipFile], None]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        if callable(document):
            document(z)
        else:
            z.writestr("word/document.xml", document)
    return path


def docx_bomb(folder: Path) -> Path:
    """A report whose document.xml inflates a thousandfold."""
    def write(z: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats'
                       b'.org/wordprocessingml/2006/main"><w:body>')
            chunk = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 20000
            for _ in range(BOMB_MB * 1024 * 1024 // len(chunk)):
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    return _docx(folder / "报告-压缩炸弹.docx", write)


def docx_laughs(folder: Path) -> Path:
    """A report with the billion-laughs entities in document.xml."""
    doc = LAUGHS.replace(b"worksheet", b"w:document").replace(
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
        b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"').replace(
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>',
        b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body>")
    return _docx(folder / "报告-XML炸弹.docx", doc)


def old_doc(folder: Path) -> Path:
    """A Word 97-2003 report."""
    path = folder / "旧版报告.doc"
    path.write_bytes(CFB_MAGIC + random.Random(9).randbytes(8192))
    return path


def random_docx(folder: Path) -> Path:
    """Noise named .docx."""
    path = folder / "随机字节.docx"
    path.write_bytes(random.Random(10).randbytes(30000))
    return path


HOSTILE_REPORTS: dict[str, Callable[[Path], Path]] = {
    "docx_bomb": docx_bomb,
    "docx_laughs": docx_laughs,
    "old_doc": old_doc,
    "random_docx": random_docx,
}

HOSTILE: dict[str, Callable[[Path], Path]] = {
    "zip_bomb": zip_bomb,
    "lying_zip": lying_zip,
    "billion_laughs": billion_laughs,
    "billion_laughs_hidden": billion_laughs_hidden,
    "laughs_in_workbook": laughs_in_workbook,
    "external_entity": external_entity,
    "huge_dimension": huge_dimension,
    "empty_file": empty_file,
    "random_bytes": random_bytes,
    "text_named_xlsx": text_named_xlsx,
    "old_xls": old_xls,
    "encrypted_xlsx": encrypted_xlsx,
    "truncated_zip": truncated_zip,
    "docx_named_xlsx": docx_named_xlsx,
}
