"""The one clock: every "today" and "now" in tracker/ and ui/ comes from here.

Tests (and scripts that want a ledger's answer as of another day) set the date with
``set_today`` or the ``RECTIFY_TODAY`` environment variable; nothing else may call
``date.today()`` or ``datetime.now()`` (tests/core/test_architecture.py enforces it).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENV = "RECTIFY_TODAY"

_fixed: dt.date | None = None


def _from_env() -> dt.date | None:
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        # A mistyped variable must not stop the app; the real date is the safe answer.
        return None


def today() -> dt.date:
    """The day the ledger treats as today: the fixed date if one is set, else the system's."""
    if _fixed is not None:
        return _fixed
    return _from_env() or dt.date.today()


def is_past(day: dt.date | None) -> bool:
    """True when ``day`` is before today: only then does a ledger's answer need rebuilding
    from its history."""
    return day is not None and day < today()


def now() -> dt.datetime:
    """Now, to the second. With a fixed date the time of day still runs (so history rows and
    backup names stay ordered within a test), but the date is the fixed one."""
    real = dt.datetime.now().replace(microsecond=0)
    day = today()
    if day == real.date():
        return real
    return dt.datetime.combine(day, real.time())


def set_today(day: dt.date | None) -> None:
    """Fix "today" (None: follow the system clock again)."""
    global _fixed
    _fixed = day


@contextmanager
def fixed_today(day: dt.date) -> Iterator[None]:
    """Run a block with "today" fixed, restoring the previous setting after."""
    before = _fixed
    set_today(day)
    try:
        yield
    finally:
        set_today(before)


def file_age_seconds(path: Path) -> float:
    """How old a file is, measured on the file system's own clock.

    A file's modification time is written by the OS, not by our clock (nor by libfaketime), so
    its age is taken against a fresh file's time in the same folder: both readings come from
    the same clock, whatever ``now()`` says.
    """
    mtime = path.stat().st_mtime
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".clock-", delete=True) as probe:
            reference = os.fstat(probe.fileno()).st_mtime
    except OSError:
        # A read-only folder: the file's neighbours are the best clock we have.
        reference = max((p.stat().st_mtime for p in path.parent.iterdir()), default=mtime)
    return max(0.0, reference - mtime)
