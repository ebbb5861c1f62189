"""A column's meaning confirmed by its cells: a 整改进展 column holding status words is read as
完成情况, a 完成情况 column of percentages as 完成进度, an unnamed column of status words as
完成情况; the clerk's --map (表头=字段) wins over both. Also lists the non-empty columns the
import leaves out, so nothing is dropped in silence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace

from openpyxl.utils import get_column_letter

from tracker.excel.cell_kinds import NUMBER, PERCENT, SENTENCE, STATUS, YESNO, kind_of
from tracker.excel.cells import MergeMap, cell_text, grid_value
from tracker.excel.header_detect import (
    FIELD_LABELS,
    SYNONYMS,
    ColumnMapping,
    detect_header,
    normalize_header,
)
from tracker.excel.reading import SheetData

SAMPLE_ROWS = 400  # enough rows to tell a column's kind; a ledger's first rows are typical
MOSTLY = 0.6
IGNORE_WORDS = ("忽略", "不导入", "-", "none", "ignore")
_CONTENT_FIELDS = ("progress", "status", "percent")


class MapError(ValueError):
    """A --map entry that names no field (the message is Chinese, for the clerk)."""


def field_name(word: str) -> str:
    """The field a --map value names: its code name, its label or any header word; "" to
    leave the column out. Raises MapError for an unknown word."""
    w = word.strip()
    if w.lower() in IGNORE_WORDS:
        return ""
    if w in FIELD_LABELS:
        return w
    for fld, label in FIELD_LABELS.items():
        if w == label:
            return fld
    for fld, words in SYNONYMS.items():
        if normalize_header(w) in words:
            return fld
    known = "、".join(label for f, label in FIELD_LABELS.items() if not f.endswith(("_id", "version")))
    raise MapError(f"“{w}”不是可导入的字段。可用：{known}（或“忽略”）。")


def parse_map(entries: Iterable[str]) -> dict[str, str]:
    """--map 表头=字段 entries as normalised header -> field ("" leaves the column out)."""
    out: dict[str, str] = {}
    for entry in entries:
        head, sep, target = entry.partition("=")
        if not sep or not head.strip():
            raise MapError(f"--map “{entry}”应写成 表头=字段，例如 --map 责任科室=牵头单位。")
        out[normalize_header(head)] = field_name(target)
    return out


def detect_mapping(sheet: SheetData, merges: MergeMap,
                   overrides: Mapping[str, str] | None = None) -> ColumnMapping | None:
    """The header found by its words, then confirmed (or corrected) by the column's cells."""
    mapping = detect_header(sheet, merges, overrides)
    if mapping is None:
        return None
    return by_content(sheet, merges, mapping, set(overrides or {}))


def _kinds(sheet: SheetData, merges: MergeMap, mapping: ColumnMapping, col: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    end = mapping.data_row + SAMPLE_ROWS
    for row in range(mapping.data_row, end):
        values = sheet.rows.get(row)
        if values is None or merges.continues(row, col):
            continue
        value = values[col - 1] if col <= len(values) else None
        kind = kind_of(value)
        if kind != "empty":
            counts[kind] += 1
    return counts


def _mostly(counts: Counter[str], kinds: tuple[str, ...]) -> bool:
    total = sum(counts.values())
    return total >= 2 and sum(counts[k] for k in kinds) >= MOSTLY * total


def header_texts(sheet: SheetData, merges: MergeMap, mapping: ColumnMapping) -> dict[int, str]:
    """Every column's header text (both lines of a two-line header), for naming columns."""
    out: dict[int, str] = {}
    for col in range(1, sheet.width + 1):
        parts: list[str] = []
        for row in range(mapping.header_row, mapping.data_row):
            text = cell_text(grid_value(sheet.rows, merges, row, col)).strip()
            if text and text not in parts:
                parts.append(text)
        if parts:
            out[col] = "/".join(parts)
    return out


def by_content(sheet: SheetData, merges: MergeMap, mapping: ColumnMapping,
               fixed: set[str] | None = None) -> ColumnMapping:
    """Move progress / status / percent columns (and unnamed status columns) to what their
    cells hold; headers the clerk mapped (``fixed``, normalised) are left alone."""
    columns = dict(mapping.columns)
    heads = header_texts(sheet, merges, mapping)
    notes: list[str] = []
    by_col = {c: f for f, c in columns.items()}
    candidates = [c for c, f in by_col.items() if f in _CONTENT_FIELDS]
    candidates += [c for c in heads if c not in by_col]
    for col in sorted(candidates):
        head = heads.get(col, "")
        if normalize_header(head) in (fixed or set()):
            continue
        counts = _kinds(sheet, merges, mapping, col)
        now = by_col.get(col)
        want = None
        if _mostly(counts, (STATUS, YESNO)) and now != "status":
            want = "status"
        elif _mostly(counts, (PERCENT,)) and now != "percent" and (
                now is not None or counts[NUMBER] == 0):
            want = "percent"
        elif now == "percent" and _mostly(counts, (SENTENCE,)):
            want = "progress"
        if want is None or want in columns and columns[want] != col:
            continue  # the sheet has its own column for that: leave this one as its header says
        if now is not None:
            del columns[now]
        columns[want] = col
        by_col[col] = want
        word = "状态词或是/否" if want == "status" else "百分比" if want == "percent" else "文字说明"
        notes.append(f"{get_column_letter(col)}列“{head}”的单元格多为{word}，按“{FIELD_LABELS[want]}”读取。")
    if not notes:
        return mapping
    headers = {**mapping.headers, **{c: heads.get(c, "") for c in columns.values()
                                     if c not in mapping.headers}}
    return replace(mapping, columns=columns, headers=headers, notes=mapping.notes + tuple(notes))


def unused_columns(sheet: SheetData, merges: MergeMap, mapping: ColumnMapping,
                   rows: Iterable[int] | None = None) -> list[tuple[int, str, int]]:
    """(column, header, filled cells) for every column with data that no field reads; only
    ``rows`` (the table's rows, not the notes under it) when given."""
    used = set(mapping.columns.values())
    heads = header_texts(sheet, merges, mapping)
    filled: Counter[int] = Counter()
    wanted = sorted(rows) if rows is not None else [r for r in sheet.rows if r >= mapping.data_row]
    for row in wanted:
        values = sheet.rows.get(row, ())
        for col, value in enumerate(values, start=1):
            if value is not None and col not in used and cell_text(value).strip() and (
                    merges.origin(row, col) == (row, col)):
                filled[col] += 1
    return [(col, heads.get(col, ""), n) for col, n in sorted(filled.items())]


def mapping_lines(mapping: ColumnMapping, heads: Mapping[int, str]) -> list[str]:
    """“A 序号 → 序号” per mapped column, in column order."""
    return [f"{get_column_letter(c)}“{heads.get(c) or mapping.headers.get(c, '')}” → {FIELD_LABELS[f]}"
            for f, c in sorted(mapping.columns.items(), key=lambda kv: kv[1])]
