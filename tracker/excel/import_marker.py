"""What the hidden `_rectify` sheet of a file this app exported says: the format, when it was
exported, from which ledger, and the change-history mark at that moment; and the refusal of a
file that belongs to another ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tracker.db.engine import Ledger
from tracker.errors import ImportRejected
from tracker.excel.export_options import (
    FORMAT_VERSION,
    HISTORY_MARK_ROW,
    LEDGER_ID_ROW,
    MARKER,
    MARKER_SHEET,
)
from tracker.excel.import_rows import parse_id
from tracker.excel.reading import WorkbookData
from tracker.excel.roundtrip_seen import parse_exported_at
from tracker.services.identity import ledger_identity


@dataclass(frozen=True)
class ExportMarker:
    """The marker sheet's values; the last three are missing from older exports."""

    exported_at: dt.datetime | None
    ledger_name: str  # the ledger file's name, for messages only
    ledger_id: str  # "" in files exported before ledgers had an id
    history_mark: int | None

    @classmethod
    def read(cls, book: WorkbookData) -> ExportMarker | None:
        """The marker of a file this app exported, None for any other file; a file from a
        newer format is refused."""
        if MARKER_SHEET not in book.sheet_names:
            return None
        if str(book.cell(MARKER_SHEET, "A1") or "").strip() != MARKER:
            return None
        version = book.cell(MARKER_SHEET, "B2")
        if isinstance(version, (int, float)) and version > FORMAT_VERSION:
            raise ImportRejected(f"“{book.path.name}”由更新版本的整改台账程序导出（格式 {version}），"
                                 "请先升级本程序再导入。")
        values = {str(row[0]): row[1] for row in book.sheet(MARKER_SHEET).rows.values()
                  if len(row) > 1 and row[0] is not None}
        mark = parse_id(values.get(HISTORY_MARK_ROW))
        return cls(parse_exported_at(values.get("exported_at")),
                   _text(values.get("ledger")), _text(values.get(LEDGER_ID_ROW)),
                   mark if mark is not None and 0 <= mark < 2**63 else None)  # SQLite's INTEGER range

    def check_ledger(self, ledger: Ledger, file_name: str) -> None:
        """Refuse a file exported from another ledger: its hidden ids name that ledger's
        problems, and the same numbers here are other problems. Older files carry no id and
        are accepted as before."""
        if not self.ledger_id or self.ledger_id == ledger_identity(ledger, create=False):
            return
        mine = ledger.path.name
        where = (f"另一个同名台账“{mine}”（例如另一台电脑上的台账）" if self.ledger_name == mine
                 else f"另一个台账“{self.ledger_name}”" if self.ledger_name else "另一个台账")
        raise ImportRejected(
            f"“{file_name}”是从{where}导出的，不是当前台账“{mine}”导出的文件。文件中隐藏的"
            "问题ID、措施ID只对原台账有效，在本台账中按它们更新会改写其他问题，因此没有导入任何"
            "内容。请在原台账中导入这个文件；如确要把其中的问题作为新问题加入本台账，请在导入向导第一页"
            "中勾选“全部作为新问题导入”（命令行加 --as-new）。")


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""
