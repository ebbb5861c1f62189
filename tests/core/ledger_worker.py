"""A second process for the reliability tests: another window editing the ledger, a program
holding its lock, threads sharing one ledger, a clerk without write permission, an importer
fed hostile files, and the crash zygote (tests/core/crash_worker.py).

Run as ``python -m tests.core.ledger_worker COMMAND PATH ...``; it prints one line per event."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys
import threading
import time
from typing import Any

from tests.core import crash_worker
from tracker.db import schema
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput, SourceInput
from tracker.services.problems import update_problem
from tracker.services.queries import get_problem, list_problems
from tracker.services.reference import create_source, list_sources

say = crash_worker.say


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
        result["peak_mb"] = _peak_mb(resource)
        say(json.dumps(result, ensure_ascii=False))
    led.close()


def _peak_mb(resource: Any) -> int:
    """This process's peak memory. Linux keeps ru_maxrss across exec, so a worker started by
    a big pytest process would report the parent's size; VmHWM belongs to this image only."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) // 1024


COMMANDS = {
    "hold": lambda a: hold_lock(a[0], float(a[1])),
    "edit": lambda a: edit_remarks(a[0], int(a[1]), a[2]),
    "add": lambda a: add_sources(a[0], a[1], int(a[2]), float(a[3]) if len(a) > 3 else 0.0),
    "threads": lambda a: threads(a[0], int(a[1]), int(a[2])),
    "seed": lambda a: crash_worker.seed_edit_groups(a[0]),
    "readonly": lambda a: as_clerk_read_only(a[0]),
    "import-files": lambda a: import_files(a[0], *a[1:]),
    "zygote": lambda a: crash_worker.zygote(a[0]),
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](sys.argv[2:])
