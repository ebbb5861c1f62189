"""Round trip: `import-report` (tracker.report, as tracker/cli/report_cmds.py reads a report) on
a generated report of the demo ledger finds the same problems by description, each with its
measures. The demo repeats descriptions across schools, so a problem counts as found when some
recognised problem has its description, and as complete when one of those has its measures."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, ProblemRow
from tracker.report import ExtractedProblem, parse_report_text, read_report_file
from tracker.services.as_of import problems_as_of
from tracker.writeup import ReportOptions, write_report

WANTED = 0.95


def _key(text: str, label: str = "") -> str:
    return text.strip().removeprefix(label).rstrip("。；;")


def _has_measures(row: ProblemRow, found: ExtractedProblem) -> bool:
    """Every measure of the ledger, in order, opens one recognised measure (a 巡察通报 writes
    each measure's progress after it)."""
    want = [_key(m.text) for m in row.measures]
    got = [m.text.strip() for m in found.measures]
    return len(got) == len(want) and all(g.startswith(w) for g, w in zip(got, want))


def round_trip(ledger: Ledger, template: str, out: Path, label: str = ""
               ) -> tuple[float, float]:
    """(share found by description, share found with its measures) for one template;
    ``label``: a lead the parser leaves on descriptions, taken off before comparing."""
    write_report(ledger, ReportOptions(template=template), out)
    report = parse_report_text(read_report_file(str(out)))
    pool: dict[str, list[ExtractedProblem]] = defaultdict(list)
    for p in report.problems:
        pool[_key(p.description, label)].append(p)
    rows = problems_as_of(ledger, ProblemFilter(), TODAY)
    found = [r for r in rows if pool.get(_key(r.description))]
    complete = [r for r in found if any(_has_measures(r, p) for p in pool[_key(r.description)])]
    return len(found) / len(rows), len(complete) / len(rows)


def test_inspection_report_round_trip(demo_ledger: Ledger, tmp_path: Path) -> None:
    found, complete = round_trip(demo_ledger, "inspection", tmp_path / "x.docx")
    assert found >= WANTED and complete >= WANTED, (found, complete)


def test_situation_report_round_trip(demo_ledger: Ledger, tmp_path: Path) -> None:
    found, complete = round_trip(demo_ledger, "situation", tmp_path / "s.docx")
    assert found >= WANTED and complete >= WANTED, (found, complete)
