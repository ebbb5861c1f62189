"""Timing and memory helpers shared by the benchmark sections."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Result:
    """One benchmark line: ours beside its baseline, and the target it is judged by."""

    name: str
    scale: str
    ours: float
    baseline: float | None
    unit: str  # "s", "ms" or "MB"
    target: str
    met: bool | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """ours / baseline, when there is a baseline."""
        if self.baseline in (None, 0):
            return None
        return self.ours / self.baseline  # type: ignore[operator]


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by a noisy machine)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def paired(ours: Callable[[], object], base: Callable[[], object], repeat: int = 3
           ) -> tuple[float, float]:
    """Best-of timings of ours and the baseline, interleaved so both see the same noise."""
    o, b = float("inf"), float("inf")
    for _ in range(repeat):
        b = min(b, best_of(base, 1))
        o = min(o, best_of(ours, 1))
    return o, b


def run_python(code: str, env: dict[str, str] | None = None, timeout: float = 900) -> dict:
    """Run ``code`` in a fresh interpreter; it must print one JSON object as its last line.
    Used for cold starts and peak memory (ru_maxrss of that process alone)."""
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=full, timeout=timeout, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def wall(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 900) -> float:
    """Wall-clock seconds of a whole command (output discarded)."""
    full = {**os.environ, **(env or {})}
    t = time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=full,
                         timeout=timeout, cwd=ROOT)
    took = time.perf_counter() - t
    if out.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {out.stderr.decode(errors='replace')[-2000:]}")
    return took


# Peak memory of the measuring process itself: VmHWM on Linux, because ru_maxrss survives exec
# and would report the (large) benchmark process that started it.
MAXRSS_SNIPPET = (
    "import resource, sys, os; "
    "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')] "
    "if os.path.exists('/proc/self/status') else []; "
    "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
    "rss_mb = int(hwm[0].split()[1]) / 1024 if hwm else "
    "(rss / (1024 * 1024) if sys.platform == 'darwin' else rss / 1024)"
)
