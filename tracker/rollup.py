"""The one rule that derives a problem's status and deadline from its measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tracker import clock
from tracker.domain import DeadlineKind, Status


@dataclass(frozen=True)
class MeasureFacts:
    """What the rule needs to know about one measure."""

    status: Status
    deadline: dt.date | None
    kind: DeadlineKind
    deadline_text: str = ""


@dataclass(frozen=True)
class Rollup:
    """A problem's derived values."""

    status: Status
    deadline: dt.date | None
    open_deadline: dt.date | None
    deadline_text: str
    total: int
    done: int


def problem_status(statuses: Sequence[Status]) -> Status:
    """Roll measure statuses up to the problem, first matching rule wins:

    1. no measures, or none started           -> not_started (checked after 2-4 for non-empty)
    2. every measure closed                   -> closed
    3. every measure done or closed           -> done
    4. every open measure (not done/closed) is ongoing -> ongoing
    5. every measure not started              -> not_started
    6. anything else                          -> in_progress
    """
    if not statuses:
        return Status.NOT_STARTED
    if all(s is Status.CLOSED for s in statuses):
        return Status.CLOSED
    open_ = [s for s in statuses if s.is_open]
    if not open_:
        return Status.DONE
    if all(s is Status.ONGOING for s in open_):
        return Status.ONGOING
    if all(s is Status.NOT_STARTED for s in statuses):
        return Status.NOT_STARTED
    return Status.IN_PROGRESS


def roll_up(measures: Sequence[MeasureFacts]) -> Rollup:
    """Status by problem_status; deadline = the latest dated deadline of all measures;
    open_deadline = the earliest dated deadline among open, not-ongoing measures (drives overdue and
    due-soon in SQL); deadline_text = what the ledger prints in the problem's 整改时限."""
    dated = [m for m in measures if m.deadline is not None]
    latest = max(dated, key=lambda m: m.deadline or dt.date.min) if dated else None
    # 长期坚持 measures are open by nature and never overdue, even with a date written beside.
    open_dates = [m.deadline for m in measures
                  if m.status.is_open and m.status is not Status.ONGOING and m.deadline is not None]
    if latest is not None:
        text = latest.deadline_text or latest.deadline.isoformat()  # type: ignore[union-attr]
    elif any(m.kind is DeadlineKind.ONGOING for m in measures):
        text = "长期坚持"
    else:
        text = ""
    return Rollup(
        status=problem_status([m.status for m in measures]),
        deadline=latest.deadline if latest else None,
        open_deadline=min(open_dates) if open_dates else None,
        deadline_text=text,
        total=len(measures),
        done=sum(1 for m in measures if not m.status.is_open),
    )


def done_on_for(status: Status, *known: dt.date | None, today: dt.date | None = None
                ) -> dt.date | None:
    """The one rule for a measure's completion date: none while open; otherwise the first
    date already known (given by the clerk, then the stored one), else today."""
    if status.is_open:
        return None
    return next((d for d in known if d is not None), None) or today or clock.today()
