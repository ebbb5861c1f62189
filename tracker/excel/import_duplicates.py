"""Importing the same hand-made ledger twice would file every problem twice: a new problem whose
text (whitespace ignored) is already in the ledger gets a warning on its row, and a file whose
new problems are all already there is refused unless the clerk says so."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tracker.db.engine import Ledger
from tracker.excel.import_rows import WARNING, Finding
from tracker.excel.import_values import PlannedProblem
from tracker.services.queries import list_problems

_SPACE = re.compile(r"\s+")


def normalised(text: str) -> str:
    """The problem text with every kind of whitespace removed (line breaks, full-width spaces)."""
    return _SPACE.sub("", text)


def duplicate_findings(ledger: Ledger, problems: Sequence[PlannedProblem],
                       columns: Mapping[str, str]) -> list[Finding]:
    """One warning per new problem already in the ledger, at its 存在问题 cell (``columns``:
    that column's letter on each sheet)."""
    if not problems:
        return []
    known: dict[str, str] = {}
    for p in list_problems(ledger, with_measures=False):
        where = f"序号{p.seq}" + (f"，来源“{p.source}”" if p.source else "")
        known.setdefault(normalised(p.description), where)
    out = []
    for planned in problems:
        found = known.get(normalised(planned.data.description))
        if found is not None:
            out.append(Finding(planned.sheet, planned.row, columns.get(planned.sheet, ""),
                               f"台账中已有相同的问题（{found}），可能是重复导入，请核对。",
                               WARNING, planned.data.description))
    return out
