"""The side panel's ready-made filters as short keys ("overdue", "unit:市财政局") that can be
remembered in QSettings, and the ProblemFilter each key stands for."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tracker.domain import ProblemFilter, Status

ALL = "all"
OVERDUE = "overdue"
SOON = "soon"
LATER = "later"
RECHECK = "recheck"  # 待回头看
STATUS_PREFIX = "status:"
SOURCE_PREFIX = "source:"
UNIT_PREFIX = "unit:"
CATEGORY_PREFIX = "category:"
GROUP_PREFIX = "group:"

# The statuses offered as ready filters, in a clerk's order (已完成 reads as 已完成待销号).
STATUS_FILTERS = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.CLOSED,
                  Status.ONGOING)


def status_key(status: Status) -> str:
    """The key of a status filter."""
    return STATUS_PREFIX + status.value


def problem_filter(key: str, as_of: dt.date, soon_days: int, later_days: int,
                   text: str = "", recheck_months: int = 6) -> ProblemFilter:
    """The filter a key selects, with the search text added; unknown keys select all."""
    base = ProblemFilter(as_of=as_of, text=text)
    try:
        if key == RECHECK:
            return dataclasses.replace(base, recheck_due_months=recheck_months)
        if key == OVERDUE:
            return dataclasses.replace(base, overdue=True)
        if key == SOON:
            return dataclasses.replace(base, due_within_days=soon_days)
        if key == LATER:
            return dataclasses.replace(base, due_within_days=later_days)
        if key.startswith(STATUS_PREFIX):
            return dataclasses.replace(base, status=Status(key[len(STATUS_PREFIX):]))
        if key.startswith(SOURCE_PREFIX):
            return dataclasses.replace(base, source_id=int(key[len(SOURCE_PREFIX):]))
        if key.startswith(UNIT_PREFIX):
            return dataclasses.replace(base, unit=key[len(UNIT_PREFIX):])
        if key.startswith(CATEGORY_PREFIX):
            return dataclasses.replace(base, category_id=int(key[len(CATEGORY_PREFIX):]))
    except ValueError:
        pass  # a remembered key from an older version or another ledger
    return base


def unit_of(key: str) -> str | None:
    """The unit a key filters on (催办单 is for that unit), else None."""
    return key[len(UNIT_PREFIX):] if key.startswith(UNIT_PREFIX) else None
