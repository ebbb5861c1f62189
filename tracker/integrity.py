"""Integrity checks on a ledger file: SQLite's own checks plus the ledger's derived values."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.db.engine import Ledger
from tracker.services.checks import check_caches


@dataclass(frozen=True)
class IntegrityReport:
    """What the checks found; ok when nothing."""

    integrity: tuple[str, ...]
    foreign_keys: tuple[str, ...]
    rollups: tuple[str, ...] = field(default_factory=tuple)
    search_texts: tuple[str, ...] = field(default_factory=tuple)  # stale 检索文本

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return (self.integrity == ("ok",) and not self.foreign_keys and not self.rollups
                and not self.search_texts)

    def lines(self) -> list[str]:
        """Chinese lines for the CLI and the window."""
        if self.ok:
            return ["完整性检查通过：数据库结构完好，外键无误，问题状态与措施一致，检索文本为最新。"]
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
        if self.search_texts:
            out.append(f"{len(self.search_texts)} 个问题的检索文本已过期（与其内容或单位名称不一致），"
                       "搜索可能找不到它们：")
            out += [f"  {x}的检索文本已过期" for x in self.search_texts[:50]]
        return out


def check_ledger(ledger: Ledger) -> IntegrityReport:
    """PRAGMA integrity_check, foreign_key_check, and the problems' cached values."""
    conn = ledger.raw_connection()
    try:
        integrity = tuple(r[0] for r in conn.execute("PRAGMA integrity_check"))
        fks = tuple(
            f"表 {r[0]} 第 {r[1]} 行 → {r[2]}" for r in conn.execute("PRAGMA foreign_key_check")
        )
    finally:
        conn.close()
    if integrity != ("ok",):  # a damaged file: its rows cannot be trusted to read back
        return IntegrityReport(integrity, fks)
    caches = check_caches(ledger)
    return IntegrityReport(integrity, fks, caches.rollups, caches.search_texts)
