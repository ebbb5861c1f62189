"""Close-out in tests: a problem gets the evidence a ledger asks for before 销号."""

from __future__ import annotations

from tracker.db.engine import Ledger
from tracker.services.evidence import attach_bytes


def with_evidence(ledger: Ledger, problem_id: int, name: str = "整改报告.pdf") -> int:
    """Attach one small file to the problem; returns the problem id (for chaining)."""
    attach_bytes(ledger, problem_id, [(name, b"%PDF-1.4 " + name.encode())])
    return problem_id
