"""One guard for the zip containers the importers open (.xlsx ledgers, .docx reports, a unit's
returned evidence package): refuse zip bombs, too many members, lying or huge sizes, path
tricks, links, encrypted members, non-zips and XML entity bombs before openpyxl, python-docx
or the package reader sees the file.

XML entity bombs, and why a DTD in any part is refused here although both libraries are safe:
- openpyxl parses through defusedxml when it is installed (it is a dependency), which refuses
  DTDs; but ``OPENPYXL_DEFUSEDXML=False`` in the environment switches that off.
- python-docx parses with lxml, ``XMLParser(resolve_entities=False)`` (docx/oxml/parser.py and
  docx/opc/oxml.py): entities are left as unexpanded nodes, external ones are never fetched, and
  libxml2 (2.14 here) raises "Maximum entity amplification factor exceeded" on a billion laughs.
  Harmless, but the text silently loses the entity and the clerk gets a baffling error.
So no part may carry a DOCTYPE: a DTD must come before the root element, so each part is parsed
only up to its root element, with expat (which also understands UTF-16 parts).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree
from xml.parsers import expat

from tracker.errors import ImportRejected

MB = 1024 * 1024
MAX_MEMBERS = 10_000  # a big real workbook has a few hundred parts
MAX_DIRECTORY_BYTES = MAX_MEMBERS * 512  # zipfile holds the whole central directory in memory
MAX_RATIO = 200  # a real sheet or document compresses ~10:1; a zip bomb by thousands
RATIO_FLOOR = 5 * MB  # small parts may compress well without being a bomb
PROLOG_CHUNK = 16 * 1024  # how much of a part is inflated at a time while looking for a DTD
CONTENT_TYPES = "[Content_Types].xml"
MAX_CONTENT_TYPES_BYTES = 4 * MB  # one line per part: a few KB in a real file
ZIP_MAGIC = b"PK\x03\x04"  # a local file header: every real .xlsx/.docx starts with one
_ALLOWED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})  # all Office writes
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_DTD_UTF16 = re.compile("<!DOCTYPE|<!ENTITY".encode("utf-16-le").replace(b"\0", b"\0?"),
                        re.IGNORECASE)
_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_DRIVE = re.compile(r"^[A-Za-z]:")
_HOSTILE = "可能是恶意构造的压缩文件，已拒绝读取。"
_BOMB = "可能是恶意构造的压缩文件（疑似“压缩炸弹”），已拒绝读取。"


@dataclass(frozen=True)
class Kind:
    """What a container should be, for the messages, and how big it may unpack."""

    label: str  # "Excel 工作簿（.xlsx）"
    resave: str  # what the clerk can do about a refused file
    max_member_bytes: int  # any one part, as the zip directory states
    max_total_bytes: int  # all parts together
    max_members: int = MAX_MEMBERS
    office: bool = True  # an Office file: its XML parts are parsed, so a DTD is refused
    noun: str = "部件"  # what its members are called in a message


KINDS: dict[str, Kind] = {
    "xlsx": Kind("Excel 工作簿（.xlsx）",
                 "如果它能在 Excel 或 WPS 中打开，请另存为“Excel 工作簿（*.xlsx）”后再导入。",
                 max_member_bytes=600 * MB, max_total_bytes=600 * MB),
    "docx": Kind("Word 文档（.docx）", "请在 Word 或 WPS 中另存为 .docx 后再导入。",
                 max_member_bytes=60 * MB, max_total_bytes=300 * MB),
    # A unit's zip: the ledger plus its evidence files (photos, scans, PDFs), one folder per
    # problem. Nothing in it is parsed as XML here; its .xlsx is checked as "xlsx" on its own.
    "package": Kind("材料包（.zip）", "请检查压缩包中的文件，重新压缩后再导入。",
                    max_member_bytes=2048 * MB, max_total_bytes=4096 * MB,
                    max_members=20_000, office=False, noun="文件"),
}
_S_IFMT, _S_IFLNK = 0o170000, 0o120000  # the Unix file type in the high half of external_attr


class ContainerRejected(ImportRejected):
    """A zip container refused whole before any library parsed it."""


class _Doctype(Exception):
    """Raised inside expat when a DOCTYPE starts."""


class _Root(Exception):
    """Raised inside expat at the root element: no DTD can follow."""


def check_container(path: Path, kind: str) -> list[str]:
    """Refuse a hostile or broken .xlsx/.docx/package zip; return its member names."""
    spec = KINDS[kind]
    name = path.name or str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(len(ZIP_MAGIC))
            if head != ZIP_MAGIC:
                # Self-extracting or polyglot files carry data before the zip; no Office file does.
                fh.seek(0)
                text_like = fh.read(64).lstrip(b"\xef\xbb\xbf \r\n\t")[:1] == b"<"
                hint = "，内容像网页或 XML" if text_like else ""
                raise ContainerRejected(f"“{name}”不是 {spec.label}文件{hint}。{spec.resave}")
            entries, directory = _declared_directory(fh)
            size = fh.tell()  # _declared_directory read up to the end of the file
        # Checked before zipfile reads the directory: a million tiny entries cost gigabytes there.
        _check_count(name, spec, entries)
        if directory > spec.max_members * 512:
            raise ContainerRejected(f"“{name}”的压缩包目录有 {directory // 1024} KB，超过上限，{_HOSTILE}")
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_count(name, spec, len(infos))  # zipfile walks the directory by bytes
            _check_members(name, spec, infos, size)
            for info in _xml_parts(name, zf, infos) if spec.office else ():
                _refuse_dtd(name, zf, info)
            return [i.filename for i in infos]
    except ContainerRejected:
        raise
    # A damaged file fails inside zipfile in many ways: bad deflate data (zlib.error), a cut-off
    # member (EOFError), a bad CRC (BadZipFile), a member offset before the start of the file
    # (OSError EINVAL), a struct that does not unpack (struct.error, ValueError).
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, RuntimeError,
            ValueError, OSError, KeyError, struct.error) as exc:
        raise ContainerRejected(f"“{name}”已损坏，无法作为 {spec.label}打开。{spec.resave}") from exc


def _check_count(name: str, spec: Kind, members: int) -> None:
    """Refuse more members than any real file of the kind has."""
    if members > spec.max_members:
        raise ContainerRejected(f"“{name}”包含 {members} 个{spec.noun}，超过上限 "
                                f"{spec.max_members} 个，{_HOSTILE}")


def _declared_directory(fh: BinaryIO) -> tuple[int, int]:
    """(entries, central directory bytes) as the end record says, found as zipfile finds it."""
    fh.seek(0, 2)
    size = fh.tell()
    # zipfile first tries an end record with no comment at the very end, then searches back.
    tail_len = min(size, 22 + (1 << 16))
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    pos = len(tail) - 22
    if pos < 0 or tail[pos:pos + 4] != _EOCD or tail[-2:] != b"\0\0":
        pos = tail.rfind(_EOCD)
        if pos < 0 or pos + 22 > len(tail):
            raise zipfile.BadZipFile("no end of central directory record")
    entries, directory = struct.unpack("<10xHI", tail[pos:pos + 16])
    eocd_at = size - tail_len + pos
    # zip64: the locator sits right before the end record and the zip64 record right before that.
    if eocd_at >= 20 + 56:
        fh.seek(eocd_at - 20)
        locator = fh.read(20)
        if locator[:4] == _EOCD64_LOCATOR:
            fh.seek(eocd_at - 20 - 56)
            record = fh.read(56)
            if record[:4] == _EOCD64:
                entries, directory = struct.unpack("<32xQQ", record[:48])
    return entries, directory


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its writer meant it. Without the UTF-8 flag zipfile reads the bytes
    as CP437, but Windows' own "send to compressed folder" writes GBK on Chinese systems and
    macOS writes UTF-8 without the flag: the bytes are tried as UTF-8, then GBK."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _part(info: zipfile.ZipInfo, decode: bool = False) -> str:
    """A member's name fit for a message: no control characters, not endless."""
    raw = member_name(info) if decode else info.filename
    shown = "".join(c if c.isprintable() else "?" for c in raw)
    return shown if len(shown) <= 80 else shown[:80] + "…"


def is_link(info: zipfile.ZipInfo) -> bool:
    """True for a member stored as a symbolic link (Unix file type in the external attributes)."""
    return (info.external_attr >> 16) & _S_IFMT == _S_IFLNK


def _check_members(name: str, spec: Kind, infos: list[zipfile.ZipInfo], size: int) -> None:
    """Refuse by what the zip directory states, before anything is inflated."""
    seen: set[str] = set()
    total = 0
    for info in infos:
        # A package's names are shown and cut into folders as their writer meant them; an
        # Office part's name is ASCII and read by its library as zipfile gives it.
        filename = member_name(info) if not spec.office else info.filename
        part = _part(info, decode=not spec.office)
        # Nothing is extracted to disk, but such names only come from crafted files, and
        # readers disagree on which of two same-named parts they take.
        segments = filename.replace("\\", "/").split("/")
        if (filename.startswith(("/", "\\")) or _DRIVE.match(filename)
                or ".." in segments or "\0" in filename):
            raise ContainerRejected(f"“{name}”中的{spec.noun}名“{part}”指向文件以外的位置，{_HOSTILE}")
        if is_link(info):
            raise ContainerRejected(f"“{name}”中的“{part}”是一个链接（符号链接），不是普通文件，{_HOSTILE}")
        key = filename.replace("\\", "/").casefold()  # OPC part names ignore case; so does Windows
        if key in seen:
            raise ContainerRejected(f"“{name}”中有重复的{spec.noun}“{part}”，{_HOSTILE}")
        seen.add(key)
        if info.flag_bits & 0x1:
            raise ContainerRejected(f"“{name}”中的“{part}”已加密（设置了密码），程序无法读取。"
                                    "请取消密码并另存后再导入。")
        if info.compress_type not in _ALLOWED_METHODS:
            raise ContainerRejected(f"“{name}”中的“{part}”使用了不受支持的压缩方式，"
                                    f"文件可能已损坏或被恶意构造。{spec.resave}")
        # Declared sizes bound what zipfile inflates (it stops there and checks the CRC), so a
        # part that lies about its size fails as damaged instead of inflating further.
        if info.file_size > spec.max_member_bytes:
            raise ContainerRejected(f"“{name}”解压后过大：其中的“{part}”有 {info.file_size // MB} "
                                    f"MB，超过上限 {spec.max_member_bytes // MB} MB，{_BOMB}")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ContainerRejected(
                f"“{name}”解压后过大：其中的“{part}”压缩比异常（约 {ratio}:1），{_BOMB}")
        total += info.file_size
    if total > spec.max_total_bytes:
        raise ContainerRejected(f"“{name}”解压后过大：共 {total // MB} MB，"
                                f"超过上限 {spec.max_total_bytes // MB} MB，{_BOMB}")
    # Many members each just under the floor: the whole file's ratio gives them away. Only for
    # a package (photos and scans barely compress); an Office file's many small XML parts may.
    if not spec.office and total > RATIO_FLOOR and total > MAX_RATIO * max(size, 1):
        raise ContainerRejected(f"“{name}”解压后过大：共 {total // MB} MB，"
                                f"压缩比异常（约 {total // max(size, 1)}:1），{_BOMB}")


def _xml_parts(name: str, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """Parts a reader may parse as XML: named .xml/.rels, or declared an XML type.

    Not every part: an SVG image or an imported HTML chunk (altChunk) may carry a harmless
    DOCTYPE, and neither library parses them. A part given an odd name and an XML type in
    [Content_Types].xml is checked too.
    """
    xml_types: set[str] = set()
    xml_extensions: set[str] = set()
    types = next((i for i in infos if i.filename == CONTENT_TYPES), None)
    if types is not None and types.file_size <= MAX_CONTENT_TYPES_BYTES:
        _refuse_dtd(name, zf, types)  # before parsing it: no DTD, so no entity can expand
        try:
            root = ElementTree.fromstring(zf.read(types))
        except ElementTree.ParseError:
            root = None  # the reader refuses a broken [Content_Types].xml itself
        for el in root.iter() if root is not None else ():
            kind = el.get("ContentType", "").lower()
            if not kind.endswith("xml") or kind.startswith("image/"):
                continue
            if el.get("PartName"):
                xml_types.add(el.get("PartName", "").lstrip("/").casefold())
            elif el.get("Extension"):
                xml_extensions.add("." + el.get("Extension", "").lstrip(".").casefold())
    out = []
    for info in infos:
        lower = info.filename.casefold()
        if (lower.endswith((".xml", ".rels")) or lower in xml_types
                or any(lower.endswith(ext) for ext in xml_extensions)):
            out.append(info)
    return out


def _refuse_dtd(name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part whose prolog declares a DTD; parses only up to the root element."""
    parser = expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise _Doctype

    def root(*_: object) -> None:
        raise _Root

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    read = b""
    found = False
    with zf.open(info) as stream:
        while chunk := stream.read(PROLOG_CHUNK):
            if len(read) < PROLOG_CHUNK:
                read += chunk
            try:
                parser.Parse(chunk, False)
            except _Root:
                return
            except _Doctype:
                found = True
                break
            except (expat.ExpatError, ValueError, LookupError):
                # Malformed, or an encoding expat lacks (GBK): the reader will judge it, but a
                # DTD in the first bytes is still refused, as the old byte scan did.
                found = bool(_DTD.search(read) or _DTD_UTF16.search(read))
                break
    if found:
        raise ContainerRejected(f"“{name}”中的“{_part(info)}”含有 DTD/实体定义，"
                                "属于不安全的 XML 内容（疑似“XML 炸弹”），已拒绝读取。")
