"""Unit names as clerks write them, in ONE place for import, storage and queries: "A、B",
"A，B", "A/B", "A牵头，B配合", "A（牵头）B（配合）" become a lead unit and co-units; names are
trimmed and full-width / half-width folded so the same unit typed two ways is one unit.
Co-units are stored as folded names joined by "、" (canonical_co_units), which is what the
`--unit` filter matches exactly, name by name."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

CO_SEPARATOR = "、"
# Full-width letters and digits become ASCII; ASCII brackets become the Chinese ones, since a
# unit name like "XX区（县）教育局" is written with full-width brackets in official documents.
_FOLD: dict[int, int | str] = {**{c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)},
         **{c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)},
         **{c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)},
         ord("("): "（", ord(")"): "）", 0x3000: " "}
_SPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[、，,；;/／\n]+|\s{2,}")
_LEAD_MARK = re.compile(r"[（(]\s*(?:牵头|主责|负责|牵头单位)\s*[)）]|(?:牵头|主责)(?:单位)?\s*$")
_CO_MARK = re.compile(r"[（(]\s*(?:配合|协办|协助|配合单位)\s*[)）]|(?:配合|协办|协助)(?:单位)?\s*$")
# "A（牵头）B" with no separator after the mark: the mark itself ends a name.
_MARK_SPLIT = re.compile(r"([（(]\s*(?:牵头|主责|负责|配合|协办|协助)(?:单位)?\s*[)）])(?=[^、，,；;/／\s])")
_ROLE_WORD = re.compile(r"^(?:牵头|配合|协办|协助|主责|负责)(?:单位)?[：:]")


def fold_name(name: str) -> str:
    """A unit name trimmed, inner blanks removed, full-width ASCII folded."""
    folded = name.translate(_FOLD)
    return _SPACE.sub("", folded).strip("　 。.：:")


@dataclass(frozen=True)
class UnitCell:
    """What a unit cell says: the lead unit, co-units, and whether anything was split."""

    lead: str
    co: tuple[str, ...] = ()
    split: bool = False  # the cell named several units or carried 牵头/配合 marks

    @property
    def co_text(self) -> str:
        """The co-units joined as the ledger writes them."""
        return CO_SEPARATOR.join(self.co)


@functools.lru_cache(maxsize=4096)
def split_units(text: str) -> UnitCell:
    """Read a 牵头单位 / 责任单位 cell: the first (or the one marked 牵头) is the lead unit."""
    raw = text.strip()
    if not raw:
        return UnitCell("")
    parts = [p for p in _SEPARATORS.split(_MARK_SPLIT.sub(r"\1、", raw)) if p.strip()]
    lead: list[str] = []
    co: list[str] = []
    for part in parts:
        part = _ROLE_WORD.sub("", part.strip())
        if _CO_MARK.search(part):
            co.append(fold_name(_CO_MARK.sub("", part)))
        elif _LEAD_MARK.search(part):
            lead.append(fold_name(_LEAD_MARK.sub("", part)))
        else:
            (co if lead and len(parts) > 1 and _marked(parts) else lead).append(fold_name(part))
    names = [n for n in lead + co if n]
    if not names:
        return UnitCell(fold_name(raw))
    first = next((n for n in lead if n), names[0])
    rest = tuple(dict.fromkeys(n for n in [*lead, *co] if n and n != first))
    return UnitCell(first, rest, len(names) > 1 or fold_name(raw) != first)


def _marked(parts: list[str]) -> bool:
    """True when some part says 牵头: then the unmarked ones are co-units."""
    return any(_LEAD_MARK.search(p) for p in parts)


@functools.lru_cache(maxsize=4096)
def split_co_units(text: str) -> tuple[str, ...]:
    """A 配合单位 cell (or a stored co_units text) as separate, folded names, once each."""
    names = (fold_name(_CO_MARK.sub("", _ROLE_WORD.sub("", p.strip())))
             for p in _SEPARATORS.split(text))
    return tuple(dict.fromkeys(n for n in names if n))


@functools.lru_cache(maxsize=4096)
def merged_co(*groups: tuple[str, ...], lead: str = "") -> str:
    """Co-unit names from several cells, once each, without the lead unit."""
    if not any(groups):
        return ""
    names = dict.fromkeys(n for g in groups for n in g if n and n != lead)
    return CO_SEPARATOR.join(names)


def canonical_co_units(text: str) -> str:
    """co_units as stored: folded names joined by "、" ("市财政局，市人社局 " ->
    "市财政局、市人社局"), so a unit is found by its exact name and never by a part of one."""
    return CO_SEPARATOR.join(split_co_units(text)) if text.strip() else ""


def co_unit_named(co_units: str, name: str) -> bool:
    """True when ``name`` is one of the co-units (an exact name, not a substring)."""
    wanted = fold_name(name)
    return bool(wanted) and wanted in split_co_units(co_units)
