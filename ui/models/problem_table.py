"""The ledger table: ids of the matching problems come first (filtered and sorted in SQL),
rows are fetched a page at a time when the view asks for them (as Anki's browser does).
Typing in the search box is answered from memory: after each load the model keeps every
problem's search text and the ids of the filter without its text, so a keystroke filters
100,000 ids in Python (~20 ms) instead of scanning the table in SQL (~100 ms)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, ProblemRow
from tracker.errors import TrackerError
from tracker.services.queries import (
    get_problems,
    matching_ids,
    problem_ids,
    search_texts,
    text_terms,
)
from ui.colors import PALETTES, Band, deadline_hint, warning_of
from ui.tasks import run_in_background


class Column(IntEnum):
    """The table's columns, in order."""

    SEQ = 0
    SOURCE = 1
    CATEGORY = 2
    DESCRIPTION = 3
    LEAD_UNIT = 4
    OWNER = 5
    DEADLINE = 6
    STATUS = 7
    PROGRESS = 8


HEADERS = {
    Column.SEQ: "序号", Column.SOURCE: "问题来源", Column.CATEGORY: "类别",
    Column.DESCRIPTION: "存在问题", Column.LEAD_UNIT: "牵头单位", Column.OWNER: "责任人",
    Column.DEADLINE: "整改时限", Column.STATUS: "状态", Column.PROGRESS: "进度",
}
SORT_KEYS = {
    Column.SEQ: "seq", Column.SOURCE: "source", Column.CATEGORY: "category",
    Column.DESCRIPTION: "description", Column.LEAD_UNIT: "lead_unit", Column.OWNER: "owner",
    Column.DEADLINE: "deadline", Column.STATUS: "status", Column.PROGRESS: "progress",
}
QueryKey = tuple[ProblemFilter, str, bool]
PROBLEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
BAND_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE = 200
CACHE_LIMIT = 4000  # rows kept; past this the cache starts again from the page in view
CENTERED = {Column.SEQ, Column.STATUS, Column.PROGRESS}
STRONG = {Column.DEADLINE, Column.STATUS}

_BOLD = QFont()
_BOLD.setBold(True)


class ProblemTableModel(QAbstractTableModel):
    """Read-only table of problems over a list of ids with a page cache of rows."""

    loaded = Signal(int)  # the id list was replaced; carries the row count
    query_failed = Signal(object)  # a TrackerError from a background query

    def __init__(self, ledger: Ledger, parent: Any = None) -> None:
        super().__init__(parent)
        self._ledger = ledger
        self._ids: list[int] = []
        self._pos: dict[int, int] | None = None
        self._cache: dict[int, ProblemRow] = {}
        self._filter = ProblemFilter()
        self._sort = "seq"
        self._descending = False
        self._generation = 0  # bumped by every query: older answers are dropped
        self._task: object | None = None
        self._in_flight: QueryKey | None = None
        # Search from memory (async mode only): texts and the text-less ids, both read since
        # the last refresh (_data_generation), else a keystroke goes to SQL as before.
        self._data_generation = 0
        self._texts: tuple[int, dict[int, str]] | None = None
        self._base: tuple[int, QueryKey, list[int]] | None = None
        self._memory_task: object | None = None
        self.as_of = clock.today()
        self.soon_days = 7
        self.later_days = 30
        self.async_queries = False

    # ------------------------------------------------------------ query

    def set_ledger(self, ledger: Ledger) -> None:
        """Show another ledger (empty until the next query)."""
        self._ledger = ledger
        self._data_generation += 1
        self._texts = self._base = None
        self._in_flight = None
        self.set_ids([])

    def set_bands(self, as_of: dt.date, soon_days: int, later_days: int) -> None:
        """Change the day and horizons the colours are computed for."""
        self.as_of, self.soon_days, self.later_days = as_of, soon_days, later_days
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(Column) - 1))

    @property
    def query(self) -> tuple[ProblemFilter, str, bool]:
        """The current (filter, sort key, descending)."""
        return self._filter, self._sort, self._descending

    @property
    def searches_in_memory(self) -> bool:
        """True when the next change of the search text needs no query."""
        return self._memory_key(self._filter) is not None

    def set_query(self, flt: ProblemFilter, sort: str | None = None,
                  descending: bool | None = None) -> None:
        """Change the filter (and sort) and load the matching ids, in the background when
        ``async_queries`` is set; stale answers to earlier queries are dropped. A change of
        the search text alone is answered from memory when it can be."""
        sort = self._sort if sort is None else sort
        descending = self._descending if descending is None else descending
        if self._in_flight == (flt, sort, descending):
            return  # the same query is already running (start-up asks twice)
        self._filter, self._sort, self._descending = flt, sort, descending
        if self._answer_from_memory():
            return
        self._query()

    def refresh(self) -> None:
        """Query the ids again (after an edit) and forget cached rows."""
        self._data_generation += 1
        self._query()

    def _query(self) -> None:
        self._generation += 1
        gen, ledger = self._generation, self._ledger
        flt, sort, desc = self._filter, self._sort, self._descending
        data_gen = self._data_generation
        if not self.async_queries:
            self._in_flight = None
            try:
                ids = problem_ids(ledger, flt, sort, desc)
            except TrackerError as exc:
                self.query_failed.emit(exc)
                return
            self.set_ids(ids)
            return

        def done(ids: object) -> None:
            if gen == self._generation and ledger is self._ledger:
                self._in_flight = None
                rows = list(ids)  # type: ignore[call-overload]
                if not text_terms(flt.text) and data_gen == self._data_generation:
                    self._base = (data_gen, (flt, sort, desc), rows)
                self.set_ids(rows)
                self._prepare_memory()

        def failed(exc: BaseException) -> None:
            if gen == self._generation:
                self._in_flight = None
                self.query_failed.emit(exc)

        self._in_flight = (flt, sort, desc)
        # Kept so the task object (and its connection to ``done``) lives until it reports.
        self._task = run_in_background(
            lambda _progress: problem_ids(ledger, flt, sort, desc), done, failed)

    def _memory_key(self, flt: ProblemFilter) -> QueryKey | None:
        """The text-less query whose ids, with the texts, answer ``flt`` from memory."""
        key = (dataclasses.replace(flt, text=""), self._sort, self._descending)
        gen = self._data_generation
        if (self._texts is None or self._texts[0] != gen or self._base is None
                or self._base[0] != gen or self._base[1] != key):
            return None
        return key

    def _answer_from_memory(self) -> bool:
        if not self.async_queries or self._memory_key(self._filter) is None:
            return False
        assert self._base is not None and self._texts is not None
        base = self._base[2]
        ids = (matching_ids(base, self._texts[1], self._filter.text)
               if text_terms(self._filter.text) else list(base))
        self._generation += 1  # an answer to an earlier query must not replace this one
        self._in_flight = None
        self.set_ids(ids)
        return True

    def _prepare_memory(self) -> None:
        """In the background, read what the next keystroke needs and is missing: the search
        texts (once per refresh) and the ids of the current filter without its text."""
        gen, ledger = self._data_generation, self._ledger
        key = (dataclasses.replace(self._filter, text=""), self._sort, self._descending)
        want_texts = self._texts is None or self._texts[0] != gen
        want_base = self._base is None or self._base[0] != gen or self._base[1] != key
        if not (want_texts or want_base):
            return

        def work(_progress: object) -> tuple[dict[int, str] | None, list[int] | None]:
            texts = search_texts(ledger) if want_texts else None
            base = problem_ids(ledger, *key) if want_base else None
            return texts, base

        def done(result: object) -> None:
            if gen != self._data_generation or ledger is not self._ledger:
                return  # the ledger changed meanwhile: the next load prepares again
            texts: dict[int, str] | None
            base: list[int] | None
            texts, base = result  # type: ignore[misc]
            if texts is not None:
                self._texts = (gen, texts)
            if base is not None:
                self._base = (gen, key, base)

        self._memory_task = run_in_background(work, done, lambda _exc: None)

    def set_ids(self, ids: list[int]) -> None:
        """Replace the rows shown by these problem ids, in this order."""
        self.beginResetModel()
        self._ids = ids
        self._pos = None
        self._cache.clear()
        self.endResetModel()
        self.loaded.emit(len(ids))

    def ids(self) -> list[int]:
        """Ids of the rows, in display order."""
        return list(self._ids)

    def row_of(self, problem_id: int) -> int | None:
        """The row showing a problem, or None."""
        if self._pos is None:
            self._pos = {pid: i for i, pid in enumerate(self._ids)}
        return self._pos.get(problem_id)

    def problem_at(self, row: int) -> ProblemRow | None:
        """The problem on a row, fetched (with its page) when not cached."""
        if not 0 <= row < len(self._ids):
            return None
        pid = self._ids[row]
        cached = self._cache.get(pid)
        if cached is not None:
            return cached
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        start = row - row % PAGE
        try:
            for p in get_problems(self._ledger, self._ids[start:start + PAGE]):
                self._cache[p.id] = p
        except TrackerError:
            return None  # shown empty; the next refresh reports the error
        return self._cache.get(pid)

    def forget(self, problem_ids: list[int]) -> None:
        """Drop cached rows of changed problems so they are read again."""
        for pid in problem_ids:
            self._cache.pop(pid, None)
            row = self.row_of(pid)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("ProblemTable", HEADERS[Column(section)])
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(Column):
            self.set_query(self._filter, SORT_KEYS[Column(column)],
                           order == Qt.SortOrder.DescendingOrder)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == PROBLEM_ID_ROLE:
            return self._ids[index.row()]
        p = self.problem_at(index.row())
        if p is None:
            return None
        col = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(p, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(p, col)
        if role == BAND_ROLE:
            return self._band(p).value
        if role == Qt.ItemDataRole.BackgroundRole:
            band = self._band(p)
            return PALETTES[band].background if band in PALETTES else None
        if role == Qt.ItemDataRole.ForegroundRole:
            band = self._band(p)
            if band in PALETTES and (col in STRONG or band is Band.CLOSED):
                return PALETTES[band].foreground
            return None
        if role == Qt.ItemDataRole.FontRole and col in STRONG and self._band(p) is Band.OVERDUE:
            return _BOLD
        if role == Qt.ItemDataRole.TextAlignmentRole and col in CENTERED:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _band(self, p: ProblemRow) -> Band:
        return warning_of(p, self.as_of, self.soon_days, self.later_days)

    def _text(self, p: ProblemRow, col: Column) -> str:
        if col is Column.SEQ:
            return str(p.seq)
        if col is Column.SOURCE:
            return p.source
        if col is Column.CATEGORY:
            return p.category
        if col is Column.DESCRIPTION:
            return " ".join(p.description.split())
        if col is Column.LEAD_UNIT:
            return p.lead_unit
        if col is Column.OWNER:
            return p.owner
        if col is Column.DEADLINE:
            hint = deadline_hint(p, self.as_of)
            # The days first: in a narrow column "逾期652天" is what must stay readable.
            return f"{hint} · {p.deadline_text}" if hint and p.deadline_text else p.deadline_text
        if col is Column.STATUS:
            return p.status.label
        return f"{p.measures_done}/{p.measures_total}"

    def _tooltip(self, p: ProblemRow, col: Column) -> str | None:
        if col is Column.DESCRIPTION:
            return p.description
        if col is Column.SOURCE:
            return p.source or None
        if col is Column.DEADLINE:
            return deadline_hint(p, self.as_of) or p.deadline_text or None
        if col is Column.PROGRESS:
            return QCoreApplication.translate("ProblemTable", "已完成措施 {done} 项，共 {total} 项").format(
                done=p.measures_done, total=p.measures_total)
        return None
