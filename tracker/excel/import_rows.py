"""Walk the rows under a ledger header and group them into problems: merged problem cells
(or this app's problem ids) hold a problem's measure rows together; empty rows, section rows
("一、党的领导"), source group rows ("问题来源：2023年省级督导评估反馈", the source of the
problems below them) and the 注 / 填报人 lines under the table are recognised and left out.

Decided rules for rows without problem text (also in the CLI help and the wizard):
- an empty 存在问题 cell continues the problem above only when it is part of a vertical merge;
- an empty, unmerged 存在问题 cell on a row with a measure is an ERROR at that cell (the file
  does not say which problem it belongs to), unless the clerk chooses --blank-continues (the
  wizard's checkbox): then it continues the problem above, with a warning on the row;
- consecutive unmerged rows repeating the same problem text (and the same or no 序号) are one
  problem with several measures, with a warning on each repeated row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker.excel.cells import (
    MergeMap,
    cell_text,
    is_footer_text,
    is_note_text,
    parse_seq,
    section_title,
)
from tracker.excel.export_options import NO_SOURCE
from tracker.excel.header_detect import ColumnMapping
from tracker.excel.reading import FormulaText, SheetData

ERROR, WARNING = "error", "warning"
_MEASURE_FIELDS = ("measure", "lead_unit", "deadline", "status", "progress", "percent")
# 序号 "1.2" / "1-2" / "1.2." numbers measure 2 of problem 1 in ledgers that repeat the problem.
# A row spanning the table that names the source of the problems under it (this app's export
# writes one above each source's problems instead of a 问题来源 column).
_SOURCE_ROW = re.compile(r"^\s*问题来源\s*[：:]\s*(.*?)\s*$", re.S)
_SUB_SEQ = re.compile(r"^\s*(\d{1,6})\s*[.．\-－—_]\s*\d{1,3}\s*[.．]?\s*$")


def seq_major(text: str) -> str:
    """The problem's part of a 序号: "1.2" -> "1", "3" -> "3" (text kept otherwise)."""
    m = _SUB_SEQ.match(text)
    return m.group(1) if m else text.strip()



@dataclass(frozen=True)
class Finding:
    """One error or warning about a cell (or a row, when column is empty)."""

    sheet: str
    row: int
    column: str  # letter, "" for the whole row
    message: str
    severity: str = ERROR
    value: str = ""  # the cell's text as read, for the correction table

    @property
    def is_error(self) -> bool:
        """True for an error (blocks the import), False for a warning."""
        return self.severity == ERROR


@dataclass(frozen=True)
class RowCells:
    """One table row: each mapped field's value as shown (merges filled in)."""

    row: int
    values: Mapping[str, Any]
    own: frozenset[str]  # fields whose cell is not the continuation of a merge from above
    category: str  # the section row ("一、党的领导") in effect, if any
    source: str = ""  # the source group row ("问题来源：…") in effect, if any

    def text(self, fld: str) -> str:
        """The field's text, stripped."""
        return cell_text(self.values.get(fld)).strip()


@dataclass
class RowGroup:
    """The rows of one problem in the file."""

    sheet: str
    rows: list[RowCells]
    problem_id: int | None = None  # set for rows exported by this app
    joined: list[int] = field(default_factory=list)  # rows added without a merge (warned)

    @property
    def first(self) -> RowCells:
        """The row the problem starts on."""
        return self.rows[0]


def parse_id(value: Any) -> int | None:
    """A hidden id or version cell as a number; None when empty, -1 when unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    n = parse_seq(value)
    return n if n is not None else -1


class SheetWalker:
    """Groups the data rows of one sheet; findings collect errors and warnings."""

    def __init__(self, sheet: SheetData, merges: MergeMap, mapping: ColumnMapping,
                 blank_continues: bool = False) -> None:
        self.sheet = sheet
        self.merges = merges
        self.mapping = mapping
        self.blank_continues = blank_continues
        self.findings: list[Finding] = []
        self.groups: list[RowGroup] = []
        self.skipped_notes = 0
        self._desc_col = mapping.columns.get("description", 0)

    def _finding(self, row: int, fld: str, message: str, severity: str = ERROR,
                 value: Any = None) -> None:
        self.findings.append(Finding(self.sheet.name, row, self.mapping.letter(fld), message,
                                     severity, cell_text(value)))

    def _own_texts(self, row: int) -> list[tuple[int, str]]:
        """Texts of the cells that belong to this row (not merged in from above or the left).
        Only short rows can be notes, signatures or sections, so long rows skip the text work
        and return their cells with placeholder text (this loop runs for every row)."""
        own: list[tuple[int, Any]] = []
        blocks = self.merges.in_row(row)
        for col, value in enumerate(self.sheet.rows.get(row, ()), start=1):
            if value is None:
                continue
            m = blocks.get(col)
            if m is not None and (m.min_row != row or m.min_col != col):
                continue
            own.append((col, value))
        if len(own) > 4:
            return [(col, "*") for col, _ in own]
        texts = [(col, cell_text(v).strip()) for col, v in own]
        return [(col, t) for col, t in texts if t]

    def _cells(self, row: int, category: str, source: str = "") -> RowCells:
        values: dict[str, Any] = {}
        own: set[str] = set()
        rows, blocks = self.sheet.rows, self.merges.in_row(row)
        here = rows.get(row, ())
        for fld, col in self.mapping.columns.items():
            m = blocks.get(col)
            if m is None:
                value = here[col - 1] if col <= len(here) else None
            elif m.min_col != col:
                value = None  # the tail of a block spanning columns belongs to its first column
            else:
                line = rows.get(m.min_row, ())
                value = line[col - 1] if col <= len(line) else None
            values[fld] = value
            if value is not None and value != "" and (m is None or m.min_row == row):
                own.add(fld)
        return RowCells(row, values, frozenset(own), category, source)

    def _is_section(self, row: int, texts: list[tuple[int, str]], cells: RowCells) -> str | None:
        if len(texts) != 1 or cells.own & {"measure", "deadline", "status", "progress", "percent"}:
            return None
        col, text = texts[0]
        if self._desc_col and self.merges.continues(row, self._desc_col):
            return None
        title = section_title(text)
        block = self.merges.block(row, col)
        wide = block is not None and block.max_col - block.min_col >= 2 and block.min_row == row
        if title or (wide and len(text) <= 30):
            return title or text
        return None

    def _source_row(self, texts: list[tuple[int, str]], cells: RowCells) -> str | None:
        """The source a "问题来源：…" row alone on its line names, else None."""
        if len(texts) != 1 or cells.own & set(_MEASURE_FIELDS):
            return None
        m = _SOURCE_ROW.match(texts[0][1])
        if m is None:
            return None
        return "" if m.group(1) == NO_SOURCE else m.group(1)

    def walk(self) -> list[RowGroup]:
        """Group every data row; returns the groups (also kept in ``self.groups``)."""
        category = source = ""
        in_notes = False
        for row in sorted(r for r in self.sheet.rows if r >= self.mapping.data_row):
            texts = self._own_texts(row)
            if not texts:
                continue
            cells = self._cells(row, category, source)
            if len(texts) <= 4 and all(is_footer_text(t) or is_note_text(t) for _, t in texts) or (
                    is_note_text(texts[0][1]) and len(texts) == 1) or (
                    in_notes and len(texts) == 1):
                in_notes = in_notes or any(is_note_text(t) for _, t in texts)
                self.skipped_notes += 1
                continue
            named = self._source_row(texts, cells)
            if named is not None:  # in any column: the row spans the table
                source, category = named, ""  # sections are numbered within a source
                continue
            if not cells.own:
                continue  # text only in unmapped columns
            section = self._is_section(row, texts, cells)
            if section is not None:
                category = section
                continue
            self._place(cells)
        return self.groups

    def _warn_formulas(self, cells: RowCells) -> None:
        """A real formula is imported as its text (never evaluated), which is not what Excel
        shows in the cell: the clerk must see that in the preview and the dry run."""
        for fld in sorted(cells.own, key=lambda f: self.mapping.columns[f]):
            value = cells.values[fld]
            if isinstance(value, FormulaText):
                shown = value if len(value) <= 40 else value[:40] + "…"
                self._finding(cells.row, fld, f"单元格是公式（{shown}），已按公式文字导入；Excel 中显示的"
                              "是计算结果。请核对，需要时在 Excel 中把它改为文字后重新导入。", WARNING,
                              value)

    def _place(self, cells: RowCells) -> None:
        row = cells.row
        self._warn_formulas(cells)
        current = self.groups[-1] if self.groups else None
        pid = parse_id(cells.values.get("problem_id"))
        if pid == -1:
            self._finding(row, "problem_id", "问题ID不是数字（这一列由程序导出时填写，请勿修改）。",
                          value=cells.values.get("problem_id"))
            return
        merged_on = self._desc_col and self.merges.continues(row, self._desc_col)
        if merged_on and current is not None:
            origin = self.merges.origin(row, self._desc_col)[0]
            if origin in {c.row for c in current.rows} and (
                    pid is None or current.problem_id in (None, pid)):
                if pid is not None:
                    current.problem_id = pid
                current.rows.append(cells)
                return
        if pid is not None:
            if current is not None and current.problem_id == pid:
                current.rows.append(cells)
            else:
                self.groups.append(RowGroup(self.sheet.name, [cells], pid))
            return
        desc = cells.text("description")
        if desc:
            if (current is not None and current.problem_id is None
                    and desc == current.first.text("description")
                    and seq_major(cells.text("seq")) in ("", seq_major(current.first.text("seq")))
                    and cells.own & set(_MEASURE_FIELDS)):
                current.rows.append(cells)
                current.joined.append(row)
                self._finding(row, "description", "“存在问题”与上一行相同且未合并单元格，"
                              "已作为同一问题的另一项措施导入，请核对。", WARNING, desc)
                return
            self.groups.append(RowGroup(self.sheet.name, [cells]))
            return
        if current is not None and self.blank_continues:
            current.rows.append(cells)
            current.joined.append(row)
            self._finding(row, "description", "“存在问题”为空且未与上方合并，已按选项作为上一问题的"
                          "另一项措施导入，请核对。", WARNING)
            return
        self._finding(row, "description",
                      "“存在问题”为空，且这个单元格没有与上方合并，无法判断这一行属于哪个问题。"
                      "若是上一问题的另一项措施，请把“存在问题”单元格与上方合并"
                      "（或勾选“空白问题行并入上一问题”）；否则请填写问题。")
