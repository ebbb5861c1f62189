"""What the report parser returns: frozen results and their JSON shape for ``--dry-run --json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.domain import Status


@dataclass(frozen=True)
class ExtractedMeasure:
    """One rectification measure found in the report, text as written."""

    text: str


@dataclass(frozen=True)
class ExtractedProblem:
    """One problem found in the report, with the measures the report pairs with it."""

    description: str
    # A guess among tracker.domain.DEFAULT_CATEGORIES, "" when no keyword fits.
    category: str
    # NOT_STARTED, or IN_PROGRESS when the report already gives a 整改情况 (work done) for it.
    status: Status
    measures: tuple[ExtractedMeasure, ...] = ()


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


def report_to_json(report: ExtractedReport) -> dict[str, Any]:
    """The ``--dry-run --json`` shape: problems with measures, then the unassigned measures."""
    return {
        "title": report.title,
        "year": report.year,
        "doc_number": report.doc_number,
        "message": report.message,
        "problems": [
            {
                "description": p.description,
                "category": p.category,
                "status": p.status.value,
                "measures": [{"text": m.text} for m in p.measures],
            }
            for p in report.problems
        ],
        "unassigned_measures": list(report.unassigned_measures),
    }
