"""Integrity checks on a ledger file: SQLite's own checks plus the ledger's derived values."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.db.engine import Ledger


@dataclass(frozen=True)
class IntegrityReport:
    """What the checks found; ok when nothing."""

    integrity: tuple[str, ...]
    foreign_keys: tuple[str, ...]
    rollups: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return self.integrity == ("ok",) and not self.foreign_keys and not self.rollups

    def lines(self) -> list[str]:
        """Chinese lines for the CLI and the window."""
        if self.ok:
            return ["完整性检查通过：数据库结构完好，外键无误，问题状态与措施一致。"]
        out = []
        if self.integrity != ("ok",):
            out.append("数据库完整性检查发现问题：")
            out += [f"  {x}" for x in self.integrity[:50]]
        if self.foreign_keys:
            out.append(f"外键检查发现 {len(self.foreign_keys)} 处引用了不存在的记录：")
            out += [f"  {x}" for x in self.foreign_keys[:50]]
        if self.rollups:
            out.append(f"{len(self.rollups)} 个问题的汇总状态与其措施不一致：")
            out += [f"  {x}" for x in self.rollups[:50]]
        return out


def check_ledger(ledger: Ledger) -> IntegrityReport:
    """PRAGMA integrity_check, foreign_key_check, and the problem rollup cache."""
    from tracker.db.orm import Problem
    from tracker.services.records import problem_row
    from tracker.rollup import MeasureFacts, roll_up

    conn = ledger.raw_connection()
    try:
        integrity = tuple(r[0] for r in conn.execute("PRAGMA integrity_check"))
        fks = tuple(
            f"表 {r[0]} 第 {r[1]} 行 → {r[2]}" for r in conn.execute("PRAGMA foreign_key_check")
        )
    finally:
        conn.close()
    bad: list[str] = []
    if integrity == ("ok",):
        from sqlalchemy import select
        from sqlalchemy.orm import selectinload

        with ledger.read() as s:
            q = select(Problem).options(selectinload(Problem.measures))
            for p in s.scalars(q).yield_per(2000):
                row = problem_row(p, with_notes=False)
                r = roll_up([MeasureFacts(m.status, m.deadline, m.deadline_kind, m.deadline_text)
                             for m in row.measures])
                if (r.status, r.deadline, r.open_deadline, r.total, r.done) != (
                        row.status, row.deadline, row.open_deadline, row.measures_total,
                        row.measures_done):
                    bad.append(f"问题 {p.id}（序号 {p.seq}）")
    return IntegrityReport(integrity, fks, tuple(bad))
