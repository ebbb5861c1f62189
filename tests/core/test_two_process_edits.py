"""Two windows (two processes) on one ledger: a stale save is refused with a clear message,
never a silent overwrite; a held lock is waited for, then explained."""

from __future__ import annotations

import json
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker.db import engine as db_engine
from tracker.db import schema
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput, SourceInput, Status
from tracker.errors import ConflictError, LedgerLockedError
from tracker.services.measures import update_measure
from tracker.services.problems import create_problem, update_problem
from tracker.services.queries import get_problem
from tracker.services.reference import create_source, list_sources

ROOT = Path(__file__).resolve().parents[2]


def worker(*args: object) -> subprocess.Popen[str]:
    """Start tests/core/ledger_worker.py as a separate process."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.core.ledger_worker", *map(str, args)], cwd=ROOT,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_line(proc: subprocess.Popen[str], timeout: float = 60) -> str:
    """The worker's next line, failing the test (not hanging it) when none comes."""
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    if not sel.select(timeout):
        proc.kill()
        pytest.fail(f"worker said nothing for {timeout}s: {proc.stderr.read() if proc.stderr else ''}")
    line = proc.stdout.readline()
    if not line:
        pytest.fail(f"worker ended: {proc.stderr.read() if proc.stderr else ''}")
    return line.strip()


def _form(row, remarks: str) -> ProblemInput:
    return ProblemInput(row.description, remarks=remarks, lead_unit=row.lead_unit, measures=tuple(
        MeasureInput(m.text, status=m.status, deadline_text=m.deadline_text, id=m.id)
        for m in row.measures))


@pytest.fixture
def shared(tmp_path: Path):
    """A ledger with one problem, open in this process ("window A")."""
    led = open_ledger(tmp_path / "共享台账.sqlite", user="窗口甲", auto_backup=False)
    row = create_problem(led, ProblemInput("幼儿园普惠率偏低", lead_unit="市教育局", measures=(
        MeasureInput("认定普惠性民办园", deadline_text="2027年6月底前"),)))
    yield led, row
    led.close()


def test_a_save_from_a_stale_copy_is_refused_and_the_other_save_kept(shared) -> None:
    led, row = shared
    mine = get_problem(led, row.id)  # window A shows the problem

    other = worker("edit", led.path, row.id, "乙窗口：已下达资金")
    assert read_line(other).startswith("saved")
    other.wait(timeout=30)

    with pytest.raises(ConflictError) as err:
        update_problem(led, row.id, _form(mine, "甲窗口：已召开推进会"), expected_version=mine.version)
    assert "已在别处被修改" in err.value.message and "重新载入" in err.value.message
    fresh = get_problem(led, row.id)
    assert fresh.remarks == "乙窗口：已下达资金"
    assert fresh.version > mine.version

    # After the reload, the clerk's save goes through on top of the other window's.
    saved = update_problem(led, row.id, _form(fresh, "甲窗口：已召开推进会"),
                           expected_version=fresh.version)
    assert saved.remarks == "甲窗口：已召开推进会"


def test_a_stale_measure_status_change_is_refused(shared) -> None:
    led, row = shared
    stale = get_problem(led, row.id).measures[0]
    other = subprocess.run(
        [sys.executable, "-m", "ui.launch", "--db", str(led.path), "update", str(stale.id),
         "--status", "整改中", "--user", "窗口乙"], cwd=ROOT, capture_output=True, text=True,
        timeout=60)
    assert other.returncode == 0, other.stderr
    with pytest.raises(ConflictError) as err:
        update_measure(led, stale.id, status=Status.DONE, expected_version=stale.version)
    assert "已在别处被修改" in err.value.message
    assert get_problem(led, row.id).measures[0].status is Status.IN_PROGRESS


def test_a_write_waits_for_a_short_lock_then_saves(shared) -> None:
    led, _ = shared
    holder = worker("hold", led.path, 1.5)
    assert read_line(holder) == "locked"
    start = time.monotonic()
    create_source(led, SourceInput("等锁之后保存的来源"))
    waited = time.monotonic() - start
    assert waited >= 1.0, "the save waited for the other program instead of failing"
    assert read_line(holder) == "released"
    holder.wait(timeout=30)
    assert [s.title for s in list_sources(led)] == ["等锁之后保存的来源"]


def test_a_lock_held_past_the_timeout_is_explained_and_nothing_saved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A shorter busy timeout only to keep the test quick; the behaviour is the same at 5 s.
    monkeypatch.setattr(db_engine, "BUSY_TIMEOUT_MS", 1200)
    led = open_ledger(tmp_path / "l.sqlite", user="窗口甲", auto_backup=False)
    holder = worker("hold", led.path, 6)
    try:
        assert read_line(holder) == "locked"
        start = time.monotonic()
        with pytest.raises(LedgerLockedError) as err:
            create_source(led, SourceInput("被锁住的来源"))
        assert time.monotonic() - start >= 1.1
        assert "正被另一个窗口或程序占用" in err.value.message
        assert "没有保存" in err.value.message and "仍在窗口中" in err.value.message
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert list_sources(led) == []
    create_source(led, SourceInput("锁释放后再保存"))
    assert [s.title for s in list_sources(led)] == ["锁释放后再保存"]
    led.close()


def test_four_processes_opening_one_new_ledger_at_once_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "新台账.sqlite"
    # All four open at the same instant: without the migration taking the write lock first,
    # one of them failed with "database is locked" in three runs out of three.
    start_at = time.time() + 2.5
    procs = [worker("add", path, f"进程{i}", 3, start_at) for i in range(4)]
    for p in procs:
        assert read_line(p) == "done", p.stderr.read() if p.stderr else ""
        p.wait(timeout=60)
    assert schema.file_revision(path) == schema.head_revision()
    led = open_ledger(path, auto_backup=False)
    try:
        assert len(list_sources(led)) == 12
    finally:
        led.close()


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    open_ledger(path, auto_backup=False).close()
    procs = [worker("add", path, name, 40) for name in ("甲", "乙")]
    for p in procs:
        assert read_line(p) == "done"
        p.wait(timeout=60)
    led = open_ledger(path, auto_backup=False)
    try:
        titles = {s.title for s in list_sources(led)}
    finally:
        led.close()
    assert titles == {f"{n}-{i}" for n in ("甲", "乙") for i in range(40)}


def test_eight_threads_of_one_window_share_a_ledger_safely(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    open_ledger(path, auto_backup=False).close()
    proc = worker("threads", path, 8, 15)  # its own process: a crash fails, not kills, the run
    line = read_line(proc)
    assert proc.wait(timeout=60) == 0
    assert json.loads(line) == {"errors": []}
    led = open_ledger(path, auto_backup=False)
    try:
        assert len(list_sources(led)) == 120
    finally:
        led.close()
