"""Text hygiene shared by storage, import and export: control characters and formula guards."""

from __future__ import annotations

import re

# C0/C1 controls except tab and newline, plus lone surrogates and the non-characters U+FFFE
# and U+FFFF: no file format can hold them (XML, hence .xlsx, refuses the whole file).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
FORMULA_PREFIXES = ("=", "+", "-", "@")


def clean_text(value: object) -> str:
    """Text with line endings unified and control characters removed; None becomes ''."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula if stored naively."""
    return text.startswith(FORMULA_PREFIXES)


def search_text(parts: list[str]) -> str:
    """What the search box matches against: every field joined, Latin letters lower-cased."""
    return "\n".join(p for p in parts if p).lower()


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.I)
MAX_NAME = 120


def safe_file_name(name: str, fallback: str = "未命名") -> str:
    """A name that is safe as one file name on Windows and Linux: no folders (``..``, absolute
    paths, drive letters), no characters Windows refuses, no reserved device names (CON, NUL,
    COM1…), no trailing dots or spaces, at most MAX_NAME characters with the extension kept."""
    base = clean_text(name).replace("\n", " ")
    base = re.split(r"[\\/]", base)[-1]  # the last part of any path, either separator
    base = _UNSAFE_NAME.sub("_", base).strip().strip(".").strip()
    if not base or set(base) <= {"_", " ", "."}:
        base = fallback
    if _RESERVED.match(base):
        base = "_" + base
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            base = stem[:MAX_NAME - len(ext) - 1].rstrip(". ") + "." + ext
        else:
            base = base[:MAX_NAME].rstrip(". ")
    return base
