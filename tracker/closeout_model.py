"""Frozen rows of the close-out cycle: evidence files, deadline extensions and 回头看 rechecks,
as services return them (no ORM object leaves a service)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

EVIDENCE_LIMIT_MB = 200  # default per-file limit; a ledger setting may change it


def size_words(n: int) -> str:
    """A file's size as a clerk reads it: 3 字节 / 12 KB / 1.5 MB."""
    if n < 1024:
        return f"{n} 字节"
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


@dataclass(frozen=True)
class EvidenceRow:
    """佐证材料: one attached file (its bytes stay in the ledger until asked for)."""

    id: int
    problem_id: int
    measure_id: int | None
    name: str
    size: int
    sha256: str
    added_on: dt.date
    added_by: str
    note: str

    def as_json(self) -> dict[str, object]:
        """The `list --json` / `evidence --json` shape."""
        return {"id": self.id, "name": self.name, "size": self.size, "sha256": self.sha256,
                "added_on": self.added_on.isoformat(), "measure_id": self.measure_id,
                "note": self.note}


@dataclass(frozen=True)
class ExtensionRow:
    """延期: a measure's deadline moved from one date to another, why, and who approved it."""

    id: int
    measure_id: int
    from_date: dt.date | None
    from_text: str
    to_date: dt.date | None
    to_text: str
    reason: str
    approved_by: str
    on: dt.date

    def as_json(self) -> dict[str, object]:
        """The `list --json` shape of one extension."""
        return {"from": self.from_text or _iso(self.from_date),
                "to": self.to_text or _iso(self.to_date), "reason": self.reason,
                "approved_by": self.approved_by, "on": self.on.isoformat()}


@dataclass(frozen=True)
class RecheckRow:
    """回头看: when, whether it held, what was found, by whom."""

    id: int
    problem_id: int
    on: dt.date
    passed: bool
    note: str
    by: str

    @property
    def result(self) -> str:
        """合格 / 不合格."""
        return "合格" if self.passed else "不合格"


@dataclass(frozen=True)
class CloseoutSettings:
    """The ledger's close-out rules (stored in the ledger, shown in preferences and `config`)."""

    needs_evidence: bool = True
    recheck_months: int = 6
    evidence_limit_mb: int = EVIDENCE_LIMIT_MB


# The stored key of each setting -> (the field of CloseoutSettings, what a clerk calls it).
SETTING_KEYS = {
    "closeout.needs_evidence": ("needs_evidence", "销号须有佐证材料"),
    "recheck.months": ("recheck_months", "回头看间隔（月）"),
    "evidence.max_mb": ("evidence_limit_mb", "单个佐证材料上限（MB）"),
}


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""
