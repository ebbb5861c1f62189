"""The report as plain data: the options a clerk chooses, the facts gathered for them, and the
blocks (title, headings, paragraphs, tables) a template lays out, for Word and for a preview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracker.domain import ProblemFilter, ProblemRow
from tracker.summary import LedgerSummary, UnitCounts

if TYPE_CHECKING:
    from tracker.services.period import PeriodChanges, UnitPeriod

# Built-in templates: name -> Chinese name (what --template and the dialog accept).
TEMPLATE_NAMES: dict[str, str] = {
    "situation": "整改情况报告",
    "inspection": "巡察整改通报",
    "dispatch": "调度通报",
}


def template_key(name: str) -> str | None:
    """The built-in template a name (code or Chinese) means; None for anything else."""
    t = name.strip()
    for key, label in TEMPLATE_NAMES.items():
        if t in (key, label):
            return key
    return None


@dataclass(frozen=True)
class ReportOptions:
    """What the clerk chose: which problems, as of when, which template, the document's
    title, issuing organisation (署名) and date (成文日期)."""

    flt: ProblemFilter = ProblemFilter()
    as_of: dt.date | None = None
    since: dt.date | None = None
    template: str = "situation"
    title: str = ""
    org: str = ""
    date: dt.date | None = None
    subject: str = ""  # the sentence's subject, as `rectify summary` words it (XX牵头的)
    scope: str = ""  # the filter in words for the default title (a source, a unit)


@dataclass(frozen=True)
class SourceGroup:
    """The problems of one source, in ledger order."""

    name: str
    doc_number: str
    issuer: str
    problems: tuple[ProblemRow, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything a template says, gathered through the services as of one day."""

    options: ReportOptions
    as_of: dt.date
    date: dt.date
    summary: LedgerSummary
    sentence: str
    units: tuple[UnitCounts, ...]
    groups: tuple[SourceGroup, ...]
    since: dt.date | None = None
    since_summary: LedgerSummary | None = None
    since_sentence: str = ""
    period: PeriodChanges | None = None
    unit_periods: tuple[UnitPeriod, ...] = ()

    @property
    def problems(self) -> tuple[ProblemRow, ...]:
        """Every problem of the report, source by source."""
        return tuple(p for g in self.groups for p in g.problems)


@dataclass(frozen=True)
class Block:
    """One piece of the document. ``kind``: title, subtitle, h1, h2, h3 (bold body lead),
    body, table (``rows``, first row the header), sign (署名), date (成文日期), note.
    ``strong``: a tail of the paragraph printed in bold (an overdue sentence)."""

    kind: str
    text: str = ""
    strong: str = ""
    rows: tuple[tuple[str, ...], ...] = field(default=())
    widths: tuple[float, ...] = field(default=())  # table column widths in mm

    @property
    def full_text(self) -> str:
        """The paragraph's whole text."""
        return self.text + self.strong
