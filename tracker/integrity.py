"""Integrity checks on a ledger file: SQLite's own checks plus the ledger's derived values."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tracker.db.engine import Ledger
from tracker.services.checks import CacheFindings, ProgressFn, check_caches


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


def check_ledger(ledger: Ledger, progress: ProgressFn | None = None) -> IntegrityReport:
    """The store's integrity and foreign-key checks (PRAGMA checks on SQLite, a catalog check
    on PostgreSQL), and the problems' cached values, with ``progress(done, total)`` problems.
    The two run side by side (SQLite's check holds no Python lock while it reads the file);
    the cached values of a damaged file are not reported: its rows cannot be trusted."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        structure = pool.submit(ledger.structure_check)
        try:
            caches: CacheFindings | None = check_caches(ledger, progress)
            failure: BaseException | None = None
        except Exception as exc:  # a damaged file may fail to read: judged below
            caches, failure = None, exc
        integrity, fks = structure.result()
    if integrity != ("ok",):
        return IntegrityReport(integrity, fks)
    if caches is None:
        raise failure  # type: ignore[misc]
    return IntegrityReport(integrity, fks, caches.rollups, caches.search_texts)
