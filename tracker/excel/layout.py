"""Page geometry of the printed ledger: column widths that fit A4 landscape, and row heights
computed from the wrapped text, because LibreOffice and WPS do not grow rows by themselves
(a wrapped cell without a stored height prints one line tall)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from tracker.excel.export_options import Column

# Excel measures column width in digits of the default font (Calibri 11: 7 px at 96 dpi),
# plus 5 px of padding per column.
PX_PER_UNIT = 7.0
COLUMN_PAD_PX = 5.0
CELL_INSET_PX = 6.0  # left + right text inset inside a cell
PX_PER_PT = 96 / 72
LINE_FACTOR = 1.46  # row height per line, in font sizes: LibreOffice's CJK fallback (Noto Sans CJK) measures 1.451
ROW_PAD_PT = 3.0
MAX_ROW_PT = 409.0  # Excel's limit for one row
WRAP_SLACK = 0.96  # line-breaking rules (no line starts with ，。) waste part of a wrapped line
ASCII_INK = 0.3  # Latin letters and digits print about 0.63 em wide (DejaVu, Arial), not 0.5
HEADER_SPARE = 2  # half-widths the PDF keeps free beside a two-character header
PAGE_FILL = 0.86  # pages end at least this full (of our estimate: 80 % on paper) unless a problem cannot split

# A4 landscape with 1 cm side margins holds about 136 units at 100 %. Fourteen columns need
# more, so the sheet is laid out for 158 and printed "one page wide" at about 88 % (10 pt
# text prints at 8.8 pt): the 120-problem demo then prints on 26 pages instead of 29 at 150.
PAGE_WIDTH_UNITS = 158.0
A4_LONG_IN = 11.69
A4_SHORT_IN = 8.27
PAGE_SAFETY = 0.98  # keep-together breaks leave this much spare so no program breaks first
MIN_LONG_UNITS = 15.0  # narrower than this, running text becomes a column of single words
MARGIN_SIDE_IN = 0.4
MARGIN_TOP_IN = 0.6
MARGIN_BOTTOM_IN = 0.7
MARGIN_FOOTER_IN = 0.3


def text_width(text: str) -> int:
    """Width in half-width characters: CJK and full-width characters count as two.
    UTF-8 length gives this in C speed: CJK takes 3 bytes, ASCII 1."""
    if text.isascii():
        return len(text)
    n = len(text)
    return n + (len(text.encode("utf-8")) - n) // 2


def capacity(width_units: float, font_pt: float) -> int:
    """How many half-width characters fit on one line of a column."""
    px = width_units * PX_PER_UNIT + COLUMN_PAD_PX - CELL_INSET_PX
    half_px = font_pt * PX_PER_PT / 2
    # Even: a CJK character is never split, so 7 half-widths hold 3 of them, not 3.5.
    return max(2, int(px / half_px * WRAP_SLACK) // 2 * 2)


def ink_width(text: str) -> float:
    """Printed width in half-widths: like text_width, but Latin letters and digits a bit wider."""
    n = len(text)
    wide = (len(text.encode("utf-8")) - n) // 2
    return n + wide + (n - wide) * ASCII_INK


def line_count(text: str, cap: int) -> int:
    """Lines ``text`` takes when wrapped at ``cap`` half-widths; every paragraph takes one."""
    if not text:
        return 1
    if "\n" not in text:
        return max(1, math.ceil(ink_width(text) / cap))
    return sum(max(1, math.ceil(ink_width(p) / cap)) for p in text.split("\n"))


def lines_height(lines: int, font_pt: float) -> float:
    """Row height in points for ``lines`` lines of text."""
    return lines * font_pt * LINE_FACTOR + ROW_PAD_PT


def units_for(half_widths: int, font_pt: float) -> float:
    """Column width in Excel units that holds ``half_widths`` on one unwrapped line."""
    px = half_widths * font_pt * PX_PER_PT / 2 + CELL_INSET_PX + 2 - COLUMN_PAD_PX
    return math.ceil(px / PX_PER_UNIT * 2) / 2


def fit_widths(
    columns: Sequence[Column], extents: Mapping[str, int], font_pt: float,
    budget: float = PAGE_WIDTH_UNITS, header_spare: int = 0,
) -> list[float]:
    """Widths for ``columns``: short columns shrink to their longest value (never below the
    header); the long-text columns share what is left of the page width, and give way (down
    to MIN_LONG_UNITS) when the short ones already fill it."""
    widths: list[float] = []
    for col in columns:
        # The PDF (header_spare=HEADER_SPARE) paints a two-character header (序号, 备注) that
        # is exactly as wide as its column one character per line: it needs spare.
        head = text_width(col.header)
        least = units_for(head + (header_spare if head <= 4 else 0), font_pt + 0.5)
        want = col.width
        if col.short and col.key in extents:
            # As wide as capacity() needs to keep the longest value on one line.
            want = min(want, units_for(math.ceil(extents[col.key] / WRAP_SLACK), font_pt))
        widths.append(max(least, want))
    long_ = [i for i, c in enumerate(columns) if not c.short] or list(range(len(columns)))
    base = sum(widths[i] for i in long_)
    room = budget - (sum(widths) - base)  # what the long columns may take together
    free = list(long_)
    while True:  # a column held at the minimum leaves the others less room, not more
        scale = max(room, MIN_LONG_UNITS * len(free)) / sum(widths[i] for i in free)
        held = [i for i in free if widths[i] * scale < MIN_LONG_UNITS]
        if not held or len(held) == len(free):
            break
        for i in held:
            widths[i] = MIN_LONG_UNITS
            free.remove(i)
            room -= MIN_LONG_UNITS
    for i in free:
        widths[i] = round(max(MIN_LONG_UNITS, widths[i] * scale), 1)
    return widths


def print_scale(widths: Sequence[float]) -> float:
    """The zoom "one page wide" prints at: printable width over sheet width, at most 1."""
    sheet_pt = sum(w * PX_PER_UNIT + COLUMN_PAD_PX for w in widths) / PX_PER_PT
    printable_pt = (A4_LONG_IN - 2 * MARGIN_SIDE_IN) * 72
    return min(1.0, math.floor(100 * printable_pt / sheet_pt) / 100)


def page_room(widths: Sequence[float]) -> float:
    """Row height, in sheet points, that one printed A4 landscape page holds."""
    printable_pt = (A4_SHORT_IN - MARGIN_TOP_IN - MARGIN_BOTTOM_IN) * 72
    return printable_pt / print_scale(widths) * PAGE_SAFETY


class PageFlow:
    """Where to break pages: a problem's merged rows stay on one page when the page is already
    nearly full (PAGE_FILL) and the problem fits a fresh one; otherwise the problem is split
    between two of its measure rows, so no page is left much emptier than that."""

    def __init__(self, room: float, repeated: float, used: float) -> None:
        self.room = room
        self.repeated = repeated  # the header row printed again on every page
        self.used = used

    def break_before(self, height: float) -> bool:
        """True when the block does not fit the rest of this page but fits a fresh one."""
        fresh = self.room - self.repeated
        if self.used + height > self.room and height <= fresh and self.used > self.repeated:
            self.used = self.repeated + height
            return True
        self._flow(height)
        return False

    def keep_with_next(self, height: float, following: float) -> bool:
        """For a row ``height`` tall that must share a page with the next ``following`` points
        (a group row and its first problem line): True when a page break goes before it."""
        if self.used + height + following > self.room and self.used > self.repeated:
            self.used = self.repeated + height
            return True
        self._flow(height)
        return False

    def place(self, own: list[float], shared: float) -> tuple[bool, int | None, list[float]]:
        """For a block with measure rows ``own`` tall whose merged cells need ``shared``:
        (break before it, the row count after which to break inside it, the row heights)."""
        heights = grow(own, shared)
        total, left, fresh = sum(heights), self.room - self.used, self.room - self.repeated
        if total <= left or self.used <= self.repeated:
            self._flow(total)
            return False, None, heights
        full = self.used >= PAGE_FILL * self.room
        split = None if full and total <= fresh else self._split(own, shared, left)
        if split is not None:
            k, first = split
            rest = own[k:]
            self.used = self.repeated + sum(rest)
            return False, k, first + rest
        if total <= fresh:
            self.used = self.repeated + total
            return True, None, heights
        self._flow(total)
        return False, None, heights

    def _flow(self, total: float) -> None:
        self.used += total
        while self.used > self.room:  # a block taller than a page flows on
            self.used -= self.room - self.repeated

    @staticmethod
    def _split(own: list[float], shared: float, left: float
               ) -> tuple[int, list[float]] | None:
        """The most rows that fit in ``left`` while holding the merged text, grown to hold it."""
        for k in range(len(own) - 1, 0, -1):
            first = grow(own[:k], shared)
            if sum(first) <= left:
                return k, first
        return None


def grow(own: Sequence[float], shared: float) -> list[float]:
    """Rows grown evenly until together they hold the merged cells' ``shared`` height."""
    total = sum(own)
    if shared <= total:
        return [min(MAX_ROW_PT, round(h, 1)) for h in own]
    extra = (shared - total) / len(own)
    return [min(MAX_ROW_PT, round(h + extra + 0.05, 1)) for h in own]


class HeightPlanner:
    """Row heights for the lines of one problem: each line as tall as its tallest own cell,
    then grown evenly until the merged problem cells fit across them. Each column remembers
    the line counts of the texts it has seen (units, names, deadlines and statuses repeat)."""

    REMEMBER = 20_000  # texts remembered per column before starting afresh

    def __init__(self, widths: Sequence[float], merged: Sequence[bool], font_pt: float) -> None:
        self.caps = [capacity(w, font_pt) for w in widths]
        self.widths = list(widths)
        self.merged = list(merged)
        self.font_pt = font_pt
        self._seen: list[dict[str, int]] = [{} for _ in widths]
        self._all = range(len(self.caps))
        self._own = [j for j, m in enumerate(self.merged) if not m]
        self._shared = [j for j, m in enumerate(self.merged) if m]

    def group_height(self, text: str) -> float:
        """Height of a row whose ``text`` spans the whole table (the 问题来源 group row)."""
        cap = capacity(sum(self.widths), self.font_pt)
        return min(MAX_ROW_PT, lines_height(line_count(text, cap), self.font_pt))

    def heights(self, lines: Sequence[Sequence[str]]) -> list[float]:
        """Heights in points, one per line, each capped at Excel's row limit."""
        return grow(*self.parts(lines))

    def parts(self, lines: Sequence[Sequence[str]]) -> tuple[list[float], float]:
        """Each line's own height, and the height the merged problem cells need."""
        f, n = self.font_pt, len(self.caps)
        if any(len(texts) < n for texts in lines):  # fewer texts than columns: the rest empty
            lines = [[*texts, *[""] * (n - len(texts))] for texts in lines]
        if len(lines) == 1:
            return [lines_height(self._most(lines[0], self._all), f)], 0.0
        own = [lines_height(self._most(texts, self._own), f) for texts in lines]
        return own, lines_height(self._most(lines[0], self._shared), f)

    def _most(self, texts: Sequence[str], cols: Sequence[int]) -> int:
        most = 1
        for j in cols:
            text = texts[j]
            if text:
                n = self._seen[j].get(text) or self._count(j, text)
                if n > most:
                    most = n
        return most

    def _count(self, j: int, text: str) -> int:
        seen = self._seen[j]
        if len(seen) >= self.REMEMBER:
            seen.clear()
        n = seen[text] = line_count(text, self.caps[j])
        return n
