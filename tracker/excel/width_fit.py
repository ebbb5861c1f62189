"""Column widths that minimise the printed height of the ledger within the page width.

The problem is small: a dozen columns, and the texts of (a sample of) the problems known. A
block's height is max(sum of its measure rows, its merged problem cells), each row as tall as
its most-wrapped cell (layout.HeightPlanner). Starting from every column at its least width,
the page width is handed out greedily, a few units at a time, to the column whose widening
saves the most height per unit; what saves nothing goes to the running-text columns."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from tracker.excel.export_options import Column, Level
from tracker.excel.export_rows import LedgerBlock
from tracker.excel.layout import (
    PAGE_WIDTH_UNITS,
    WRAP_SLACK,
    capacity,
    ink_width,
    line_count,
    lines_height,
    text_width,
    units_for,
)

STEPS = (1.0, 3.0, 8.0)  # widenings tried each round: heights are step functions of width
ONE_LINE = frozenset({"number", "deadline", "status"})
MAX_UNITS = 60.0  # no column is worth more than this: a line that long is hard to read


class _Counts:
    """Wrapped line counts of one column's texts, per width (cached)."""

    def __init__(self, texts: Sequence[str], font_pt: float) -> None:
        self.texts = texts
        self.font_pt = font_pt
        self.cache: dict[int, list[int]] = {}

    def at(self, width: float) -> list[int]:
        cap = capacity(width, self.font_pt)
        got = self.cache.get(cap)
        if got is None:
            got = self.cache[cap] = [line_count(t, cap) if t else 1 for t in self.texts]
        return got


def _top2(columns: list[list[int]], n: int) -> tuple[list[int], list[int], list[int]]:
    """Per position: the largest count, which column has it, and the second largest."""
    best, who, second = [1] * n, [-1] * n, [1] * n
    for j, counts in enumerate(columns):
        for i, c in enumerate(counts):
            if c > best[i]:
                best[i], who[i], second[i] = c, j, best[i]
            elif c > second[i]:
                second[i] = c
    return best, who, second


class WidthFitter:
    """Greedy widths for ``columns`` over the texts of ``blocks``."""

    def __init__(self, columns: Sequence[Column], blocks: Sequence[LedgerBlock],
                 font_pt: float) -> None:
        self.columns = list(columns)
        self.font_pt = font_pt
        self.measure = [j for j, c in enumerate(columns) if c.level is Level.MEASURE]
        self.problem = [j for j, c in enumerate(columns) if c.level is Level.PROBLEM]
        # One-line blocks: HeightPlanner counts every cell on the line; the same as taking
        # the problem cells as "shared" over that one line.
        self.sizes = [len(b.lines) for b in blocks]
        self._heights: list[float] = []
        self.counts: dict[int, _Counts] = {}
        for j in self.measure:
            self.counts[j] = _Counts([ln.texts[j] for b in blocks for ln in b.lines], font_pt)
        for j in self.problem:
            self.counts[j] = _Counts([b.lines[0].texts[j] for b in blocks], font_pt)
        self.longest = {j: max((ink_width(p) for t in self.counts[j].texts
                                for p in t.split("\n")), default=0.0) for j in self.counts}

    def height(self, widths: Sequence[float]) -> float:
        """Total printed height (points) of the blocks at ``widths``."""
        own, who, second = _top2([self.counts[j].at(widths[j]) for j in self.measure],
                                 sum(self.sizes))
        shared, _, _ = _top2([self.counts[j].at(widths[j]) for j in self.problem],
                             len(self.sizes))
        return self._total(own, shared)

    def _total(self, own: Sequence[int], shared: Sequence[int]) -> float:
        lh = self._line_heights(max(max(own, default=1), max(shared, default=1)))
        total, i = 0.0, 0
        for b, size in enumerate(self.sizes):
            if size > 1:
                rows = sum([lh[k] for k in own[i:i + size]])
                total += max(rows, lh[shared[b]])
            else:
                total += lh[max(own[i], shared[b])]
            i += size
        return total

    def _line_heights(self, most: int) -> list[float]:
        """lines_height(k) for k up to ``most``, by index (the same floats, no call per row)."""
        table = self._heights
        while len(table) <= most:
            table.append(lines_height(len(table), self.font_pt))
        return table

    def _trial(self, widths: list[float], j: int, w: float,
               tops: tuple[tuple[list[int], list[int], list[int]],
                           tuple[list[int], list[int], list[int]]]) -> float:
        """Total height with column ``j`` at ``w``, the other columns as they are."""
        new = self.counts[j].at(w)
        (own, own_who, own_2nd), (sh, sh_who, sh_2nd) = tops
        k = self.measure.index(j) if j in self.measure else self.problem.index(j)
        if j in self.measure:
            own = [max(o2 if who == k else o, c) for o, who, o2, c in zip(own, own_who, own_2nd, new)]
        else:
            sh = [max(s2 if who == k else s, c) for s, who, s2, c in zip(sh, sh_who, sh_2nd, new)]
        return self._total(own, sh)

    def fit(self, least: Sequence[float], budget: float = PAGE_WIDTH_UNITS) -> list[float]:
        """Widths at least ``least`` summing to ``budget``, chosen to minimise the height."""
        widths = list(least)
        most = [max(lo, min(MAX_UNITS, units_for(math.ceil(self.longest.get(j, 0) / 0.96) + 1,
                                                 self.font_pt)))
                for j, lo in enumerate(least)]
        n_own = sum(self.sizes)
        while sum(widths) < budget:
            tops = (_top2([self.counts[j].at(widths[j]) for j in self.measure], n_own),
                    _top2([self.counts[j].at(widths[j]) for j in self.problem], len(self.sizes)))
            now = self._total(tops[0][0], tops[1][0])
            best: tuple[float, int, float] | None = None
            spare = budget - sum(widths)
            for j in range(len(widths)):
                for step in STEPS:
                    w = min(widths[j] + step, most[j], widths[j] + spare)
                    if w <= widths[j]:
                        continue
                    gain = (now - self._trial(widths, j, w, tops)) / (w - widths[j])
                    if gain > 1e-9 and (best is None or gain > best[0]):
                        best = (gain, j, w)
            if best is None:
                break
            widths[best[1]] = best[2]
        return self._spread(widths, budget)

    def _spread(self, widths: list[float], budget: float) -> list[float]:
        """Give what saved no height to the running-text columns, by their share."""
        spare = budget - sum(widths)
        long_ = [j for j, c in enumerate(self.columns) if not c.short] or list(range(len(widths)))
        base = sum(widths[j] for j in long_)
        if spare > 0 and base > 0:
            for j in long_:
                widths[j] += spare * widths[j] / base
        return [math.floor(w * 2) / 2 for w in widths]


def least_widths(columns: Sequence[Column], longest: Mapping[int, float], font_pt: float
                 ) -> list[float]:
    """The narrowest each column may be: its header on two lines (序号 on one); 序号, dates
    and statuses unwrapped ("2026年11\n月30日" is misread)."""
    out = []
    for j, col in enumerate(columns):
        head = text_width(col.header)
        least = units_for(head if head <= 4 else math.ceil(head / 4) * 2, font_pt + 0.5)
        if col.key in ONE_LINE and longest.get(j):
            one_line = units_for(math.ceil(longest[j] / WRAP_SLACK) + 1, font_pt)
            least = max(least, min(one_line, col.width))
        out.append(least)
    return out


def best_widths(columns: Sequence[Column], blocks: Sequence[LedgerBlock], font_pt: float,
                budget: float = PAGE_WIDTH_UNITS) -> list[float]:
    """Widths for ``columns`` that print ``blocks`` (a sample of the ledger) shortest."""
    fitter = WidthFitter(columns, blocks, font_pt)
    return fitter.fit(least_widths(columns, fitter.longest, font_pt), budget)
