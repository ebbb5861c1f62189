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
