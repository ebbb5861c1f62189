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
FAIR_RATIO = 1.0  # issue 19: at or below openpyxl streaming with the same prebuilt styles
IMPORT_RATIO = 2.0
EXPORT_PEAK_MB = 1024


def export_time(path: Path, n: int, repeat: int = 3, slow: bool = True) -> list[Result]:
    """CPU seconds of the export (ledger sheet) beside bare openpyxl writing the same grid:
    the ordinary workbook (what a plain implementation writes) is the baseline judged, and
    the fair one, streaming mode with the same prebuilt style arrays, is held to 1.0×; the
    streaming mode with style objects per cell is shown for reference. Without ``slow`` only
    the fair baseline runs (the ordinary workbook of 100,000 problems needs gigabytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        r = baselines_export.compare(path, tmp, repeat=repeat, slow=slow)
    scale = f"{n:,}"
    ours = r["export_s"]
    size = f"（{r['rows']:.0f} 行，{r['cells']:.0f} 个单元格，{r['merges']:.0f} 处合并）"
    out = []
    if slow:
        out.append(Result("导出 Excel 台账（CPU 时间）", scale, ours, r["normal_s"], "s",
                          f"≤ {EXPORT_RATIO}× openpyxl 普通模式",
                          ours <= EXPORT_RATIO * r["normal_s"], size))
        out.append(Result("导出：对照 openpyxl 流式写同样的样式对象", scale, ours,
                          r["write_only_s"], "s", "仅供参考", None))
    out.append(Result("导出：对照 openpyxl 流式＋预建样式数组（公平基线）", scale, ours, r["arrays_s"],
                      "s", f"≤ {FAIR_RATIO:g}× 公平基线", ours <= FAIR_RATIO * r["arrays_s"],
                      "" if slow else size))
    return out


_EXPORT_CHILD = """
import json, sys, time
from tracker.db.engine import open_ledger
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions
from tracker.domain import ProblemFilter
ledger = open_ledger(sys.argv[1], read_only=True)
start, cpu = time.perf_counter(), time.process_time()
r = export_ledger(ledger, sys.argv[2], ProblemFilter(), ExportOptions())
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
ledger.close()
""" + MAXRSS_SNIPPET + """
print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": rss_mb, "problems": r.problems, "rows": r.rows}))
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
            # CPU time beside the wall clock: on a shared machine the two part company
            Result("导出 Excel 台账用时（新进程，台账页＋统计页）", f"{n:,}", seconds, None, "s",
                   f"≤ {EXPORT_TARGET_S:g} s", seconds <= EXPORT_TARGET_S,
                   f"（其中 CPU {got['cpu']:.1f} s）")]


def import_time(rows: int, repeat: int = 3) -> list[Result]:
    """The whole import (check, then write) beside openpyxl's read-only read of the file."""
    r = baselines_import.measure(rows, repeat=repeat)
    return [Result(r.name, r.scale, r.ours, r.baseline, r.unit, r.target,
                   r.ours <= IMPORT_RATIO * (r.baseline or 0))]
