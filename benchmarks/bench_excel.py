"""Excel figures: export of 10,000 problems against bare openpyxl writing the same cells
and styles, the peak memory of exporting 100,000, and import of a 10,000-row hand-made ledger
against openpyxl only reading it. The baselines are the export and import engineers' own
(benchmarks.baselines_export, benchmarks.baselines_import); this module only runs them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks import baselines_export, baselines_import
from benchmarks.harness import MAXRSS_SNIPPET, Result, run_python

EXPORT_RATIO = 1.5
IMPORT_RATIO = 2.0
EXPORT_PEAK_MB = 1024


def export_time(path: Path, n: int, repeat: int = 3) -> list[Result]:
    """CPU seconds of the export (ledger sheet) beside bare openpyxl writing the same grid:
    the ordinary workbook (what a plain implementation writes) is the baseline judged; the
    streaming-mode and style-array writers are shown as floors."""
    with tempfile.TemporaryDirectory() as tmp:
        r = baselines_export.compare(path, tmp, repeat=repeat)
    scale = f"{n:,}"
    ours = r["export_s"]
    out = [Result("导出 Excel 台账（CPU 时间）", scale, ours, r["normal_s"], "s",
                  f"≤ {EXPORT_RATIO}× openpyxl 普通模式", ours <= EXPORT_RATIO * r["normal_s"],
                  f"（{r['rows']:.0f} 行，{r['cells']:.0f} 个单元格，{r['merges']:.0f} 处合并）")]
    for key, label in (("write_only_s", "openpyxl 流式写同样的样式对象"),
                       ("arrays_s", "openpyxl 流式＋预建样式数组（下限）")):
        out.append(Result(f"导出：对照 {label}", scale, ours, r[key], "s", "仅供参考", None))
    return out


_EXPORT_CHILD = """
import json, sys, time
from tracker.db.engine import open_ledger
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions
from tracker.domain import ProblemFilter
ledger = open_ledger(sys.argv[1], read_only=True)
start = time.perf_counter()
r = export_ledger(ledger, sys.argv[2], ProblemFilter(), ExportOptions())
seconds = time.perf_counter() - start
ledger.close()
""" + MAXRSS_SNIPPET + """
print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "problems": r.problems, "rows": r.rows}))
"""


EXPORT_TARGET_S = 25.0


def export_memory(path: Path, n: int) -> list[Result]:
    """Peak RSS of a fresh process exporting the whole ledger (ledger sheet and 统计). Its own
    ru_maxrss (baselines_export.export_peak_memory reads RUSAGE_CHILDREN, which is the largest
    child this process ever had: the window's, in a full run)."""
    with tempfile.TemporaryDirectory() as tmp:
        code = _EXPORT_CHILD.replace("sys.argv[1]", repr(str(path))).replace(
            "sys.argv[2]", repr(str(Path(tmp) / "all.xlsx")))
        got = run_python(code)
    seconds, mib = got["seconds"], got["rss_mb"]
    problems, rows = int(got["problems"]), int(got["rows"])
    return [Result("导出 Excel 台账的峰值内存", f"{n:,}", mib, None, "MB",
                   f"≤ {EXPORT_PEAK_MB} MB", mib <= EXPORT_PEAK_MB,
                   f"（{problems:,} 个问题，{rows:,} 行）"),
            Result("导出 Excel 台账用时（新进程，台账页＋统计页）", f"{n:,}", seconds, None, "s",
                   f"≤ {EXPORT_TARGET_S:g} s", seconds <= EXPORT_TARGET_S)]


def import_time(rows: int, repeat: int = 3) -> list[Result]:
    """The whole import (check, then write) beside openpyxl's read-only read of the file."""
    r = baselines_import.measure(rows, repeat=repeat)
    return [Result(r.name, r.scale, r.ours, r.baseline, r.unit, r.target,
                   r.ours <= IMPORT_RATIO * (r.baseline or 0))]
