"""The sample ledger as plain data: what tracker.demo generates and
tracker.services.demo_write stores (below both, so neither imports the other)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(slots=True)
class DemoUnit:
    """A unit of the sample ledger (kept as it is when the ledger already has it)."""

    name: str
    contact: str
    phone: str


@dataclass(slots=True)
class DemoSource:
    """A source letter; ``created_at`` is when it was entered, the day its first problem was."""

    kind: str
    title: str
    year: int
    issuer: str
    doc_number: str
    issued_on: dt.date
    created_at: dt.datetime


@dataclass(slots=True)
class DemoNote:
    """A progress note, entered on the day it is dated."""

    noted_on: dt.date
    text: str
    created_at: dt.datetime


@dataclass(slots=True)
class DemoMeasure:
    """A measure with its deadline, status, completion date and notes."""

    text: str
    lead_unit: str
    co_units: str
    owner: str
    deadline: dt.date | None
    deadline_text: str
    deadline_kind: str
    status: str
    done_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    notes: list[DemoNote]


@dataclass(slots=True)
class DemoProblem:
    """A problem with its rolled-up cache columns, as the services would have stored them."""

    source: int  # index into DemoLedger.sources
    seq: int
    category: str
    description: str
    goal: str
    lead_unit: str
    co_units: str
    leader: str
    owner: str
    remarks: str
    closeout_by: str
    closeout_on: dt.date | None
    closeout_note: str
    status: str
    deadline: dt.date | None
    open_deadline: dt.date | None
    deadline_text: str
    measures_total: int
    measures_done: int
    search_text: str
    created_at: dt.datetime
    updated_at: dt.datetime
    measures: list[DemoMeasure]


@dataclass(slots=True)
class DemoLedger:
    """The whole sample: reference lists up front, ``count`` problems generated lazily (in
    order, so a million problems need not sit in memory)."""

    today: dt.date
    units: list[DemoUnit]
    categories: tuple[str, ...]
    sources: list[DemoSource]
    count: int
    problems: Iterator[DemoProblem]
