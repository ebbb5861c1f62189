"""The crash worker: a zygote that forks workers doing imports or bursts of edits on a ledger,
kills each with SIGKILL after a given delay, and reports the markers the worker wrote (see
tests/core/test_crash_kill.py). Started through ``python -m tests.core.ledger_worker zygote``."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sys
import tempfile
import time

from tracker.db import schema
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput, SourceInput, Status
from tracker.services.measures import update_measure
from tracker.services.problems import bulk_update, create_problems, update_problem
from tracker.services.queries import list_problems

EDIT_GROUP, STATUS_GROUP, BULK_GROUP = "编辑组", "状态组", "批量组"
STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.ONGOING)


def say(*words: object) -> None:
    """One line to the test, flushed at once (the test may be waiting for it)."""
    print(*words, flush=True)


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
    """Fork one worker per request, SIGKILL it after the given delay (``wN``: N ms after its
    first write transaction began), report its markers."""
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
        chunks = []
        if delay_ms.startswith("w"):
            # Aim inside a write transaction: wait for the worker's first W, then kill soon
            # after it, so every kind is proven against kills mid-transaction, however
            # quick its transactions are on this machine today.
            seen = b""
            while b"W\n" not in seen and (chunk := os.read(read_fd, 65536)):
                chunks.append(chunk)
                seen += chunk
            delay_ms = delay_ms[1:]
        time.sleep(int(delay_ms) / 1000)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        while chunk := os.read(read_fd, 65536):
            chunks.append(chunk)
        os.close(read_fd)
        markers = b"".join(chunks).decode().splitlines()
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        say(json.dumps({"killed": killed, "markers": markers}))
    for book in books.values():
        os.remove(book)
    os.rmdir(folder)


