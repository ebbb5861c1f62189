"""Crash safety, proven: imports and bursts of edits are killed with SIGKILL at random moments,
many times; after every kill the ledger passes SQLite's checks, every transaction is there whole
or not at all, and every transaction the worker saw committed is there.

Three kinds: a service-level import (create_problems), the real Excel importer (plan, then
apply), and bursts of edits. RECTIFY_CRASH_KILLS sets the kills per kind (default 20: 60 in all)."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.core.test_two_process_edits import read_line, worker
from tracker.db.engine import open_ledger
from tracker.integrity import check_ledger

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")

KILLS = int(os.environ.get("RECTIFY_CRASH_KILLS", "20"))
_BATCH = re.compile(r"批次(\d+)-问题\d+/(\d+)-措施(\d+)")
_ROUND = re.compile(r"轮次(\d+):")


@dataclass
class Ledgerbook:
    """What the workers reported: committed transactions, and where each kill landed."""

    kills: int = 0
    landed_in: Counter[str] = field(default_factory=Counter)  # where each kill struck
    committed: Counter[str] = field(default_factory=Counter)
    imports: set[int] = field(default_factory=set)
    cut_off: set[int] = field(default_factory=set)  # killed during COMMIT: may have landed
    form: dict[int, int] = field(default_factory=dict)  # problem id -> last committed round
    status: dict[int, int] = field(default_factory=dict)  # measure id -> last committed round
    last_bulk: str = ""  # the status of the last committed bulk update, if nothing came after
    cut_off_landed: int = 0

    PLACES = {"B": "reading or preparing", "W": "inside the write transaction",
              "X": "during COMMIT", "C": "between operations"}

    def read(self, markers: list[str]) -> None:
        """Take in one killed worker's markers: B k (operation began), W (write transaction
        began), X (COMMIT sent), C kind k target (operation returned, committed)."""
        self.kills += 1
        for m in markers:
            if not m.startswith("C "):
                continue
            kind, k, target = m.split()[1:4]
            self.committed[kind] += 1
            if kind in ("import", "excel"):
                self.imports.add(int(k))
            elif kind == "form":
                self.form[int(target)] = int(k)
            elif kind == "status":
                self.status[int(target)] = int(k)
            elif kind == "bulk":
                self.last_bulk = target
        last = markers[-1][0] if markers else "B"
        self.landed_in[self.PLACES[last]] += 1
        if last != "C":
            began = [m for m in markers if m.startswith("B ")]
            if last == "X":
                self.cut_off.add(int(began[-1].split()[1]))
                self.last_bulk = ""  # the cut-off one may have been a bulk update that landed

    @property
    def mid_operation(self) -> int:
        """Kills that struck while an operation was under way (not between two)."""
        return self.kills - self.landed_in[self.PLACES["C"]]


def _landed_round(text: str | None) -> int:
    m = _ROUND.match(text or "")
    return int(m[1]) if m else 0


def _check_sqlite(conn: sqlite3.Connection) -> None:
    assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    bad = conn.execute(
        "SELECT p.id FROM problem p LEFT JOIN measure m ON m.problem_id = p.id"
        " GROUP BY p.id HAVING COUNT(m.id) != p.measures_total").fetchall()
    assert bad == [], f"problems whose measures_total is not their number of measures: {bad}"


def _check_imports(conn: sqlite3.Connection, book: Ledgerbook) -> None:
    """Every batch present is whole (source, n problems, their measures, its history line)."""
    sources = {int(t[2:]): sid for t, sid in conn.execute(
        "SELECT title, id FROM source WHERE title LIKE '批次%'")}
    found: Counter[int] = Counter()
    wanted: dict[int, int] = {}
    for desc, total, sid in conn.execute(
            "SELECT description, measures_total, source_id FROM problem WHERE remarks LIKE '批次%'"):
        m = _BATCH.fullmatch(desc)
        assert m, desc
        k = int(m[1])
        assert sources.get(k) == sid, f"a problem of batch {k} without its source"
        assert total == int(m[3]), f"batch {k}: a problem lost measures"
        found[k] += 1
        wanted[k] = int(m[2])
    for k in sources:
        assert found[k] == wanted.get(k), f"batch {k} landed partly: {found[k]} of {wanted.get(k)}"
    assert book.imports <= set(sources), f"committed batches lost: {book.imports - set(sources)}"
    logged = {int(r[0][2:]) for r in conn.execute(
        "SELECT new FROM change_log WHERE entity='source' AND action='create' AND new LIKE '批次%'")}
    assert logged == set(sources), "history and data land in the same transaction"
    assert set(sources) - book.imports <= book.cut_off, "a batch appeared that never began"
    book.cut_off_landed = len(set(sources) & book.cut_off)


_EXCEL = re.compile(r"导入(\d+)-问题(\d+)-措施(\d+)")


def _check_excel(conn: sqlite3.Connection, book: Ledgerbook) -> None:
    """Every real Excel import present is whole: its source, n problems, measures, history."""
    sources = {int(t[2:]): sid for t, sid in conn.execute(
        "SELECT title, id FROM source WHERE title LIKE '批次%'")}
    for k, sid in sources.items():
        rows = conn.execute("SELECT id, description, measures_total FROM problem"
                            " WHERE source_id=?", (sid,)).fetchall()
        found = [_EXCEL.fullmatch(d) for _, d, _ in rows]
        assert all(found), f"batch {k}: a problem not from the workbook"
        n = {int(m[1]) for m in found if m}
        assert len(n) == 1 and len(rows) == n.pop(), f"batch {k} landed partly ({len(rows)} rows)"
        assert all(int(m[3]) == total for m, (_, _, total) in zip(found, rows) if m)
        measures_logged = conn.execute(
            "SELECT COUNT(*) FROM change_log WHERE entity='measure' AND action='create' AND"
            " problem_id IN (SELECT id FROM problem WHERE source_id=?)", (sid,)).fetchone()[0]
        assert measures_logged == sum(total for _, _, total in rows), f"batch {k}: history partial"
    assert book.imports <= set(sources), f"committed imports lost: {book.imports - set(sources)}"
    assert set(sources) - book.imports <= book.cut_off, "an import appeared that never began"
    book.cut_off_landed = len(set(sources) & book.cut_off)


def _check_edits(conn: sqlite3.Connection, book: Ledgerbook) -> None:
    """Form edits, status changes and bulk updates: whole, in the history, and durable."""
    for pid, remarks, total in conn.execute(
            "SELECT p.id, p.remarks, p.measures_total FROM problem p JOIN source s"
            " ON s.id = p.source_id WHERE s.title = '编辑组'"):
        m = re.fullmatch(r"轮次(\d+):措施(\d+)", remarks)
        assert m and int(m[2]) == total, f"problem {pid}: “{remarks}” but {total} measures"
        k = int(m[1])
        if k:
            logged = conn.execute("SELECT COUNT(*) FROM change_log WHERE problem_id=? AND"
                                  " field='remarks' AND new=?", (pid, remarks)).fetchone()[0]
            assert logged == 1, f"problem {pid}: “{remarks}” is not in its history"
        last = book.form.get(pid, 0)
        assert k == last or (k > last and k in book.cut_off), (
            f"problem {pid}: committed round {last} lost, found round {k}")
    for mid, status, note in conn.execute(
            "SELECT m.id, m.status, (SELECT n.text FROM progress_note n WHERE n.measure_id = m.id"
            " ORDER BY n.id DESC LIMIT 1) FROM measure m JOIN problem p ON p.id = m.problem_id"
            " JOIN source s ON s.id = p.source_id WHERE s.title = '状态组'"):
        if note is not None:
            assert note.endswith(f"状态{status}"), f"measure {mid}: {status} but note “{note}”"
        k, last = _landed_round(note), book.status.get(mid, 0)
        assert k == last or (k > last and k in book.cut_off), (
            f"measure {mid}: committed round {last} lost, found round {k}")
    statuses = {r[0] for r in conn.execute(
        "SELECT DISTINCT m.status FROM measure m JOIN problem p ON p.id = m.problem_id"
        " JOIN source s ON s.id = p.source_id WHERE s.title = '批量组'")}
    assert len(statuses) == 1, f"a bulk update landed partly: {statuses}"
    if book.last_bulk:
        assert statuses == {book.last_bulk}, "the last committed bulk update was lost"


CHECKS = {"import": _check_imports, "excel": _check_excel, "edits": _check_edits}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["import", "excel", "edits"])
def test_killed_at_random_moments_the_ledger_stays_whole(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "台账.sqlite"
    open_ledger(path, auto_backup=False).close()
    if kind == "edits":
        assert worker("seed", path).wait(timeout=60) == 0
    zygote = worker("zygote", path)
    assert read_line(zygote) == "ready"
    assert zygote.stdin is not None
    rng = random.Random(20261123)
    book = Ledgerbook()
    try:
        for seed in range(1, KILLS + 1):
            # Every other kill is aimed just after a write transaction begins; the rest fall
            # anywhere, reading and planning included.
            # An Excel import (reading, planning, writing) takes longer than the others: its
            # "anywhere" kills reach further, so some imports finish between kills.
            late = 1500 if kind == "excel" else 400
            delay = f"w{rng.randint(0, 25)}" if seed % 2 else str(rng.randint(10, late))
            zygote.stdin.write(f"{kind} {seed} {delay}\n")
            zygote.stdin.flush()
            report = json.loads(read_line(zygote))
            assert report["killed"], f"kill {seed}: the worker ended on its own: {report}"
            book.read([str(m) for m in report["markers"]])
            conn = sqlite3.connect(path)
            try:
                _check_sqlite(conn)
                CHECKS[kind](conn, book)
            finally:
                conn.close()
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
    led = open_ledger(path, auto_backup=False)
    try:
        assert check_ledger(led).ok
    finally:
        led.close()
    landed = "" if kind == "edits" else f"; killed during COMMIT yet landed: {book.cut_off_landed}"
    print(f"\n{kind}: {book.kills} kills; struck {dict(book.landed_in)}; committed "
          f"{dict(book.committed)}{landed}")
    assert book.kills == KILLS
    assert book.mid_operation >= KILLS // 2, "kills must mostly strike mid-operation"
    assert book.landed_in["inside the write transaction"] > 0
    assert sum(book.committed.values()) > 0
