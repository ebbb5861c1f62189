"""Report files -> text: .txt/.md in UTF-8 or GB18030/GBK, .docx; everything else refused clearly."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from tracker.errors import ImportRejected
from tracker.report.docx_text import check_docx_package, docx_text

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ""})
_RESAVE = "请在 Word 或 WPS 中另存为 .docx 后再导入"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .xls: the old binary formats
_ZIP = b"PK\x03\x04"
# Share of characters that no text file holds (controls, private use, unassigned, U+FFFD)
# above which the "text" is really a binary file read as text.
_MAX_JUNK = 0.01
_JUNK_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0c\x0b")


def read_report_file(path: str | Path) -> str:
    """The text of a report file; raises ImportRejected with a Chinese message naming the file."""
    p = Path(path)
    name = p.name or str(path)
    try:
        if not p.exists():
            raise ImportRejected(f"找不到文件“{name}”。")
        if not p.is_file():
            raise ImportRejected(f"“{name}”不是文件。")
        size = p.stat().st_size
        if size == 0:
            raise ImportRejected(f"“{name}”是空文件，没有可导入的内容。")
        if size > MAX_FILE_BYTES:
            raise ImportRejected(
                f"“{name}”有 {size / 1024 / 1024:.1f} MB，超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限；"
                "报告文字一般不会这么大，请只保留正文后再导入。"
            )
        with p.open("rb") as f:
            head = f.read(8)
        suffix = p.suffix.lower()
        if suffix in (".doc", ".wps", ".dot") or head.startswith(_OLE):
            raise ImportRejected(f"“{name}”是旧版 Word/WPS 格式，无法直接读取。{_RESAVE}。")
        if suffix == ".pdf" or head.startswith(b"%PDF"):
            raise ImportRejected(f"暂不支持 PDF 文件“{name}”。{_RESAVE}，或复制正文粘贴到导入窗口。")
        if head.startswith(b"{\\rtf"):
            raise ImportRejected(f"“{name}”是 RTF 格式。{_RESAVE}。")
        if suffix in (".docx", ".docm", ".dotx") or head.startswith(_ZIP):
            check_docx_package(p)
            text = docx_text(p)
        else:
            text = decode_text(p.read_bytes(), name)
    except ImportRejected:
        raise
    except MemoryError as exc:
        raise ImportRejected(f"“{name}”太大，无法读取。") from exc
    except OSError as exc:
        raise ImportRejected(f"无法读取“{name}”：{exc.strerror or '读取失败'}。") from exc
    except ValueError as exc:  # a path the system cannot even look up (e.g. a NUL inside)
        raise ImportRejected(f"无法读取“{name}”：文件名无效。") from exc
    if not text.strip():
        raise ImportRejected(f"“{name}”中没有文字。")
    return text


def decode_text(data: bytes, name: str) -> str:
    """Bytes of a text file as text: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 (GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]  # Notepad's "Unicode"
    else:
        # GB18030 is a superset of GBK and GB2312, which older Chinese Windows tools write.
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_binary(text):
            break
        return text
    raise ImportRejected(
        f"“{name}”不是可识别的文本文件（可能是二进制文件，或编码不是 UTF-8/GBK）。"
        "请导入 .docx 或 .txt 文件，或复制正文粘贴到导入窗口。"
    )


def _looks_binary(text: str) -> bool:
    """Whether decoded ``text`` is full of characters no document contains."""
    sample = text[:200_000]
    if not sample:
        return False
    junk = 0
    for ch in sample:
        if ch in _ALLOWED_CONTROLS:
            continue
        if ch == "\ufffd" or unicodedata.category(ch) in _JUNK_CATEGORIES:
            junk += 1
    return junk > max(2, len(sample) * _MAX_JUNK)
