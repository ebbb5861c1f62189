"""The ledger table: ids of the matching problems come first (filtered and sorted in SQL),
rows are fetched a page at a time when the view asks for them (as Anki's browser does).
Typing in the search box is answered from memory: after each load the model keeps every
problem's search text and the ids of the filter without its text, so a keystroke filters
100,000 ids in Python (~20 ms) instead of scanning the table in SQL (~100 ms)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from tracker import clock
from tracker.domain import ProblemFilter, ProblemRow
from tracker.errors import TrackerError
from ui.models.problem_cells import (BAND_ROLE, HEADERS, PROBLEM_ID_ROLE, SORT_KEYS, Column,
                                     cell_data)
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from tracker.db.engine import Ledger

__all__ = ["BAND_ROLE", "HEADERS", "PAGE", "PROBLEM_ID_ROLE", "Column", "ProblemTableModel"]
QueryKey = tuple[ProblemFilter, str, bool]
PAGE = 200
CACHE_LIMIT = 4000  # rows kept; past this the cache starts again from the page in view
RowReader = Callable[[Sequence[int]], list[ProblemRow]]


# The query services are imported when first called, not at the top: the window paints its
# first rows (ui.first_paint) before SQLAlchemy, which tracker.services.queries imports, loads.
def problem_ids(ledger: Ledger, flt: ProblemFilter = ProblemFilter(), sort: str = "seq",
                descending: bool = False) -> list[int]:
    """queries.problem_ids."""
    from tracker.services import queries

    return queries.problem_ids(ledger, flt, sort, descending)


def get_problems(ledger: Ledger, ids: Sequence[int]) -> list[ProblemRow]:
    """queries.get_problems."""
    from tracker.services import queries

    return queries.get_problems(ledger, ids)


def search_texts(ledger: Ledger) -> dict[int, str]:
    """queries.search_texts."""
    from tracker.services import queries

    return queries.search_texts(ledger)


def text_terms(text: str) -> list[str]:
    """queries.text_terms."""
    from tracker.services import queries

    return queries.text_terms(text)


def matching_ids(ids: list[int], texts: dict[int, str], text: str) -> list[int]:
    """queries.matching_ids."""
    from tracker.services import queries

    return queries.matching_ids(ids, texts, text)


class ProblemTableModel(QAbstractTableModel):
    """Read-only table of problems over a list of ids with a page cache of rows."""

    loaded = Signal(int)  # the id list was replaced; carries the row count
    query_failed = Signal(object)  # a TrackerError from a background query

    def __init__(self, ledger: Ledger | None, parent: Any = None) -> None:
        super().__init__(parent)
        self._ledger = ledger
        self._ids: list[int] = []
        # Before the ledger is open (ui.first_paint): the first page's ids, how many rows the
        # whole list will have, and a plain-sqlite3 reader of rows; None once the ledger reads.
        self._total = 0
        self._reader: RowReader | None = None
        self._adopting = False  # the next id list may continue the first page unchanged
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
        """Show another ledger (empty until the next query); the first page painted before
        the ledger was open stays, and the next query's ids continue it unchanged."""
        self._ledger = ledger
        self._data_generation += 1
        self._texts = self._base = None
        self._in_flight = None
        if self._reader is not None:
            self._reader = None
            self._adopting = True
            return
        self.set_ids([])

    def show_first_page(self, ids: list[int], total: int, rows: list[ProblemRow],
                        reader: RowReader) -> None:
        """Before the ledger is open: ``total`` rows, of which the first ``ids`` are known
        with their ``rows``; ``reader`` reads other rows the same way until set_ledger."""
        self.beginResetModel()
        self._ids, self._total, self._pos = list(ids), total, None
        self._cache = {p.id: p for p in rows}
        self._reader = reader
        self.endResetModel()

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
        if ledger is None:
            return  # not open yet: the query runs when the ledger is set
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
        if ledger is None or not (want_texts or want_base):
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
        known, adopting = len(self._ids), self._adopting
        self._adopting = False
        if adopting and len(ids) == self.rowCount() and ids[:known] == self._ids:
            # The ledger's first answer continues the first page painted before it opened:
            # the same rows, so no reset (the selection and scroll position stay).
            self._ids, self._pos, self._total = ids, None, 0
            if len(ids) > known:
                self.dataChanged.emit(self.index(known, 0),
                                      self.index(len(ids) - 1, len(Column) - 1))
            self.loaded.emit(len(ids))
            return
        self.beginResetModel()
        self._ids = ids
        self._pos = None
        self._total = 0
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
            for p in self._read(self._ids[start:start + PAGE]):
                self._cache[p.id] = p
        except (TrackerError, OSError):
            return None  # shown empty; the next refresh reports the error
        return self._cache.get(pid)

    def _read(self, ids: list[int]) -> list[ProblemRow]:
        if self._reader is not None:
            return self._reader(ids)
        if self._ledger is None:
            return []
        return get_problems(self._ledger, ids)

    def forget(self, problem_ids: list[int]) -> None:
        """Drop cached rows of changed problems so they are read again."""
        for pid in problem_ids:
            self._cache.pop(pid, None)
            row = self.row_of(pid)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else max(len(self._ids), self._total)

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
            return None  # (past the first page before the ledger is open: not known yet)
        if role == PROBLEM_ID_ROLE:
            return self._ids[index.row()]
        p = self.problem_at(index.row())
        if p is None:
            return None
        return cell_data(p, Column(index.column()), role, self.as_of, self.soon_days,
                         self.later_days)
