"""What the report parser returns: frozen results and their JSON shape for ``--dry-run --json``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tracker.domain import DeadlineKind, Status


@dataclass(frozen=True)
class ExtractedMeasure:
    """One rectification measure found in the report, text as written, with what it states."""

    text: str
    lead_unit: str = ""  # 责任单位 / 牵头单位 written for it
    deadline_text: str = ""  # 整改时限 as written ("2023年6月底前")
    # Resolved against the document's date (None when not given or not readable).
    deadline: dt.date | None = None
    deadline_kind: DeadlineKind | None = None
    # What the text says of it (已完成整改 …); None: the problem's status applies.
    status: Status | None = None
    review: bool = False  # placed by a weak rule: the clerk checks it first

    def facts_note(self) -> str:
        """"（责任单位：县教育局；整改时限：年底前）" when the report gave them, else ""."""
        parts = [f"责任单位：{self.lead_unit}" if self.lead_unit else "",
                 f"整改时限：{self.deadline_text}" if self.deadline_text else ""]
        shown = "；".join(p for p in parts if p)
        return f"（{shown}）" if shown else ""


@dataclass(frozen=True)
class ExtractedProblem:
    """One problem found in the report, with the measures the report pairs with it."""

    description: str
    # A guess among tracker.domain.DEFAULT_CATEGORIES, "" when no keyword fits.
    category: str
    # From the text (该问题已完成整改 …), else IN_PROGRESS when a 整改情况 is given, else NOT_STARTED.
    status: Status
    measures: tuple[ExtractedMeasure, ...] = ()
    review: bool = False  # found by a weak rule (a bare paragraph, pairing by count …)


@dataclass(frozen=True)
class ExtractedReport:
    """Everything read from one report: its header facts, problems and unplaced measures."""

    title: str
    year: int | None
    doc_number: str
    problems: tuple[ExtractedProblem, ...]
    unassigned_measures: tuple[str, ...]
    # "" normally; a Chinese sentence for the clerk when nothing (or not everything) was found.
    message: str = ""
    issued_on: dt.date | None = None  # the document's own date, for relative deadlines


def measure_status(problem: ExtractedProblem, measure: ExtractedMeasure) -> Status:
    """A measure's status: its own when the text gives one, else its problem's."""
    return measure.status if measure.status is not None else problem.status


def report_to_json(report: ExtractedReport) -> dict[str, Any]:
    """The ``--dry-run --json`` shape: problems with measures, then the unassigned measures."""
    return {
        "title": report.title,
        "year": report.year,
        "doc_number": report.doc_number,
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
        "message": report.message,
        "problems": [
            {
                "description": p.description,
                "category": p.category,
                "status": p.status.value,
                "review": p.review,
                "measures": [
                    {
                        "text": m.text,
                        "lead_unit": m.lead_unit,
                        "deadline_text": m.deadline_text,
                        "deadline": m.deadline.isoformat() if m.deadline else None,
                        "status": measure_status(p, m).value,
                        "review": m.review,
                    }
                    for m in p.measures
                ],
            }
            for p in report.problems
        ],
        "unassigned_measures": list(report.unassigned_measures),
    }
