"""A second process for the reliability tests: another window editing the ledger, a program
holding its lock, and a zygote that forks workers to be killed with SIGKILL mid-transaction.

Run as ``python -m tests.core.ledger_worker COMMAND PATH ...``; it prints one line per event."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sqlite3
import sys
import tempfile
import threading
import time

from tracker.db import schema
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput, SourceInput, Status
from tracker.services.measures import update_measure
from tracker.services.problems import bulk_update, create_problems, update_problem
from tracker.services.queries import get_problem, list_problems
from tracker.services.reference import create_source, list_sources

EDIT_GROUP, STATUS_GROUP, BULK_GROUP = "编辑组", "状态组", "批量组"
STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.ONGOING)


def say(*words: object) -> None:
    """One line to the test, flushed at once (the test may be waiting for it)."""
    print(*words, flush=True)


def hold_lock(path: str, seconds: float) -> None:
    """Take the write lock like a long import would, and keep it for ``seconds``."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE ledger_setting SET value = value")
    say("locked")
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()
    say("released")


def edit_remarks(path: str, problem_id: int, remarks: str) -> None:
    """Another window: load the problem, change its 备注, save with the version it loaded."""
    led = open_ledger(path, user="另一个窗口", auto_backup=False)
    try:
        row = get_problem(led, problem_id)
        form = ProblemInput(row.description, source_id=row.source_id, category=row.category,
                            goal=row.goal, lead_unit=row.lead_unit, owner=row.owner,
                            remarks=remarks, measures=tuple(
                                MeasureInput(m.text, lead_unit=m.lead_unit, status=m.status,
                                             deadline_text=m.deadline_text, id=m.id)
                                for m in row.measures))
        saved = update_problem(led, problem_id, form, expected_version=row.version)
        say("saved", saved.version)
    finally:
        led.close()


def add_sources(path: str, name: str, count: int, start_at: float = 0.0) -> None:
    """Open the ledger (perhaps brand new) and add ``count`` sources, one transaction each;
    ``start_at`` (a time.time()) lines several processes up to open at the same moment."""
    while time.time() < start_at:
        time.sleep(0.001)
    led = open_ledger(path, user=name, auto_backup=False)
    try:
        for i in range(count):
            create_source(led, SourceInput(f"{name}-{i}"))
    finally:
        led.close()
    say("done")


def threads(path: str, workers: int, each: int) -> None:
    """Many threads of one process writing and reading the same Ledger at once."""
    led = open_ledger(path, auto_backup=False)
    errors: list[str] = []

    def work(n: int) -> None:
        for i in range(each):
            try:
                create_source(led, SourceInput(f"线程{n}-{i}"))
                list_problems(led, with_measures=False)
            except Exception as exc:  # reported to the test, which fails on any
                errors.append(f"{type(exc).__name__}: {exc}")

    pool = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    led.close()
    say(json.dumps({"errors": errors}, ensure_ascii=False))


def as_clerk_read_only(path: str) -> None:
    """Open a ledger the way a clerk without write permission would, and try to save."""
    import tracker.db.backup  # noqa: F401  (imported before dropping root: /root is private)
    from tracker.errors import TrackerError

    schema.head_revision()
    dt.datetime.strptime("20261123", "%Y%m%d")  # loads _strptime while it can still be read
    if os.geteuid() == 0:  # root may write anything: become an ordinary user to see the limits
        import pwd

        nobody = pwd.getpwnam("nobody")
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
    led = open_ledger(path, user="只读用户")
    result: dict[str, object] = {"read_only": led.read_only, "warnings": led.warnings,
                                 "sources": [s.title for s in list_sources(led)]}
    try:
        create_source(led, SourceInput("不应保存的来源"))
        result["write"] = "saved"
    except TrackerError as exc:
        result["write"] = type(exc).__name__
        result["message"] = exc.message
    led.close()
    say(json.dumps(result, ensure_ascii=False))


def import_files(path: str, *files: str) -> None:
    """Import each file as the window would (Excel: plan, then write; reports: read, parse),
    one JSON line each: refused or not, the message, seconds taken, peak memory so far."""
    import resource

    from tracker.errors import TrackerError
    from tracker.excel.import_plan import build_plan
    from tracker.report import parse_report_text, read_report_file
    from tracker.services.imports import apply_plan

    # A bomb that got through must fail here, not swap the test machine to a halt.
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    led = open_ledger(path, user="导入测试", auto_backup=False)
    for name in files:
        start = time.perf_counter()
        result: dict[str, object] = {"file": os.path.basename(name)}
        try:
            if name.endswith((".docx", ".doc")):
                parse_report_text(read_report_file(name))
            else:
                apply_plan(led, build_plan(led, name))
            result["refused"] = False
        except TrackerError as exc:
            full = getattr(exc, "full_text", None)
            result.update(refused=True, error=type(exc).__name__,
                          message=full() if callable(full) else exc.message)
        except Exception as exc:  # the test fails on any of these
            result.update(refused=False, error=f"unexpected {type(exc).__name__}", message=str(exc))
        result["seconds"] = round(time.perf_counter() - start, 3)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        say(json.dumps(result, ensure_ascii=False))
    led.close()


# ------------------------------------------------------------------ crash worker


def seed_edit_groups(path: str) -> None:
    """The problems the edit bursts work on; each group is touched by one kind of edit only."""
    led = open_ledger(path, user="准备", auto_backup=False)
    try:
        for group, count in ((EDIT_GROUP, 6), (STATUS_GROUP, 6), (BULK_GROUP, 5)):
            create_problems(led, [
                ProblemInput(f"{group}问题{i}", remarks="轮次0:措施2", measures=(
                    MeasureInput("措施甲"), MeasureInput("措施乙")))
                for i in range(count)
            ], SourceInput(group))
    finally:
        led.close()


def _import_batch(led, k: int, rng: random.Random) -> str:
    """One import: a new source and n problems, each with a known number of measures."""
    n = rng.randint(5, 40)
    items = []
    for i in range(n):
        m = rng.randint(1, 4)
        items.append(ProblemInput(
            f"批次{k}-问题{i + 1}/{n}-措施{m}", remarks=f"批次{k}",
            measures=tuple(MeasureInput(f"批次{k}措施{j}", deadline_text="2027年6月底前")
                           for j in range(m))))
    create_problems(led, items, SourceInput(f"批次{k}"))
    return f"import {k} {n}"


EXCEL_SIZES = (40, 200, 600)


def write_import_book(path: str, n: int) -> None:
    """A ledger workbook of n problems, each with 1-3 measures under merged cells."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["序号", "存在问题", "整改措施", "牵头单位", "整改时限", "完成情况"])
    for i in range(1, n + 1):
        m = 1 + i % 3
        first = ws.max_row + 1
        for j in range(m):
            ws.append([i if j == 0 else None, f"导入{n}-问题{i}-措施{m}" if j == 0 else None,
                       f"措施{j + 1}", "市教育局", "2027年6月底前", "整改中"])
        if m > 1:
            for col in (1, 2):
                ws.merge_cells(start_row=first, start_column=col, end_row=ws.max_row,
                               end_column=col)
    wb.save(path)


def _excel_batch(led, k: int, rng: random.Random, books: dict[int, str]) -> str:
    """One real Excel import (plan, then one write), filed under the source 批次k."""
    from tracker.excel.import_plan import ImportOptions, build_plan
    from tracker.services.imports import apply_plan

    n = rng.choice(EXCEL_SIZES)
    apply_plan(led, build_plan(led, books[n], ImportOptions(source=f"批次{k}")))
    return f"excel {k} {n}"


def _group(led, title: str) -> list:
    return [p for p in list_problems(led) if p.source == title]


def _edit(led, k: int, rng: random.Random) -> str:
    """One edit of a kind chosen at random; the marker says what it must have done."""
    kind = rng.choice(("form", "status", "bulk"))
    if kind == "form":
        p = rng.choice(_group(led, EDIT_GROUP))
        m = rng.randint(1, 4)
        keep = [mm.id for mm in p.measures][:m]
        measures = tuple(MeasureInput(f"轮次{k}措施{j}", id=keep[j] if j < len(keep) else None)
                         for j in range(m))
        form = ProblemInput(p.description, source_id=p.source_id, remarks=f"轮次{k}:措施{m}",
                            measures=measures)
        update_problem(led, p.id, form, expected_version=p.version)
        return f"form {k} {p.id}"
    if kind == "status":
        p = rng.choice(_group(led, STATUS_GROUP))
        measure = rng.choice(p.measures)
        status = rng.choice(STATUSES)
        update_measure(led, measure.id, status=status, progress=f"轮次{k}:状态{status.value}",
                       progress_on=dt.date(2026, 11, 23))
        return f"status {k} {measure.id}"
    ids = [p.id for p in _group(led, BULK_GROUP)]
    status = rng.choice(STATUSES)
    bulk_update(led, ids, status=status)
    return f"bulk {k} {status.value}"


def _child(path: str, kind: str, seed: int, out_fd: int, books: dict[int, str]) -> None:
    from sqlalchemy import event

    rng = random.Random(seed)
    led = open_ledger(path, user="崩溃测试", auto_backup=False)

    # W: the write transaction has begun; X: its COMMIT has been sent. A kill after W and
    # before X must leave no trace of the transaction; after X it may or may not have landed.
    @event.listens_for(led.engine, "begin")
    def _began(conn: object) -> None:
        if conn.get_execution_options().get("sqlite_begin") == "IMMEDIATE":  # type: ignore[attr-defined]
            os.write(out_fd, b"W\n")

    @event.listens_for(led.engine, "commit")
    def _committing(conn: object) -> None:
        if conn.get_execution_options().get("sqlite_begin") == "IMMEDIATE":  # type: ignore[attr-defined]
            os.write(out_fd, b"X\n")

    k = seed * 1000
    while True:
        k += 1
        os.write(out_fd, f"B {k}\n".encode())
        if kind == "import":
            done = _import_batch(led, k, rng)
        elif kind == "excel":
            done = _excel_batch(led, k, rng, books)
        else:
            done = _edit(led, k, rng)
        os.write(out_fd, f"C {done}\n".encode())


def _warm_up(books: dict[int, str]) -> None:
    """Load migrations, configure mappers and compile the services' SQL once, so forked
    workers reach their transactions in milliseconds; no connection stays open to fork."""
    schema.head_revision()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "warm.sqlite")
        seed_edit_groups(path)
        led = open_ledger(path, auto_backup=False)
        rng = random.Random(0)
        _import_batch(led, 1, rng)
        _excel_batch(led, 2, rng, books)
        for k in range(3, 9):
            _edit(led, k, rng)
        led.close()


def zygote(path: str) -> None:
    """Fork one worker per request, SIGKILL it after the given delay, report its markers."""
    folder = tempfile.mkdtemp(prefix="rectify-books-")
    books = {n: os.path.join(folder, f"导入{n}.xlsx") for n in EXCEL_SIZES}
    for n, book in books.items():
        write_import_book(book, n)
    _warm_up(books)
    say("ready")
    for line in sys.stdin:
        kind, seed, delay_ms = line.split()
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            try:
                _child(path, kind, int(seed), write_fd, books)
            finally:
                os._exit(3)  # only reached when the worker failed on its own
        os.close(write_fd)
        time.sleep(int(delay_ms) / 1000)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        chunks = []
        while chunk := os.read(read_fd, 65536):
            chunks.append(chunk)
        os.close(read_fd)
        markers = b"".join(chunks).decode().splitlines()
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        say(json.dumps({"killed": killed, "markers": markers}))
    for book in books.values():
        os.remove(book)
    os.rmdir(folder)


COMMANDS = {
    "hold": lambda a: hold_lock(a[0], float(a[1])),
    "edit": lambda a: edit_remarks(a[0], int(a[1]), a[2]),
    "add": lambda a: add_sources(a[0], a[1], int(a[2]), float(a[3]) if len(a) > 3 else 0.0),
    "threads": lambda a: threads(a[0], int(a[1]), int(a[2])),
    "seed": lambda a: seed_edit_groups(a[0]),
    "readonly": lambda a: as_clerk_read_only(a[0]),
    "import-files": lambda a: import_files(a[0], *a[1:]),
    "zygote": lambda a: zygote(a[0]),
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](sys.argv[2:])
