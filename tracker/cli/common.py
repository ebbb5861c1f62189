"""Shared pieces of the subcommands: opening the ledger, parsing dates, printing tables."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Sequence

from tracker import clock
from tracker.db.engine import Ledger, open_ledger
from tracker.deadlines import parse_deadline
from tracker.domain import DeadlineKind, ProblemFilter, Status
from tracker.errors import DeadlineError, NotFoundError, ValidationError


def ledger_from(args: argparse.Namespace, read_only: bool = False) -> Ledger:
    """Open the ledger named by --db (or RECTIFY_DB, or the default file)."""
    return open_ledger(getattr(args, "db", None), read_only=read_only)


def parse_day(text: str, what: str = "日期") -> dt.date:
    """A CLI date: 2026-11-23, 2026年11月23日 or any exact form the deadline parser knows."""
    try:
        d = parse_deadline(text, clock.today())
    except DeadlineError as exc:
        raise ValidationError(f"{what}“{text}”无法识别：{exc.message}") from exc
    if d.kind is not DeadlineKind.DATED or d.date is None:
        raise ValidationError(f"{what}“{text}”不是一个具体日期。")
    return d.date


def parse_status(text: str) -> Status:
    """A status given as code (done) or word (已完成)."""
    try:
        return Status.from_label(text)
    except ValueError:
        words = "、".join(f"{s.label}({s.value})" for s in Status)
        raise ValidationError(f"未知的状态“{text}”，可用：{words}") from None


def add_filter_args(p: argparse.ArgumentParser) -> None:
    """--status --unit --source --overdue, shared by list, summary and export."""
    p.add_argument("--status", help="状态：未启动/整改中/已完成/已销号/长期坚持")
    p.add_argument("--unit", help="牵头单位名称")
    p.add_argument("--source", help="问题来源名称（或编号）")
    p.add_argument("--overdue", action="store_true", help="只看逾期未完成的")


def filter_from(args: argparse.Namespace, ledger: Ledger, as_of: dt.date | None = None
                ) -> ProblemFilter:
    """Build a ProblemFilter from the shared filter arguments."""
    from tracker.services.reference import list_sources

    source_id = None
    if getattr(args, "source", None):
        wanted = args.source.strip()
        matches = [s for s in list_sources(ledger)
                   if wanted in (s.title, str(s.id), s.doc_number, s.display)]
        if not matches:
            matches = [s for s in list_sources(ledger) if wanted in s.title]
        if not matches:
            raise NotFoundError(f"找不到问题来源“{wanted}”。用 rectify list 查看已有来源。")
        source_id = matches[0].id
    return ProblemFilter(
        source_id=source_id,
        unit=getattr(args, "unit", None) or None,
        status=parse_status(args.status) if getattr(args, "status", None) else None,
        overdue=bool(getattr(args, "overdue", False)),
        as_of=as_of,
    )


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns (as in GBK, one byte per
    ASCII character and two per Chinese one, which makes this a single C call)."""
    return len(text.encode("gbk", "replace"))


def clip(text: str, cols: int) -> str:
    """Cut to ``cols`` display columns (ending in …) and pad to exactly that width."""
    text = text.replace("\n", " ")
    raw = text.encode("gbk", "replace")
    if len(raw) <= cols:
        return text + " " * (cols - len(raw))
    # Decoding with "ignore" drops a half Chinese character left at the cut.
    cut = raw[: cols - 1].decode("gbk", "ignore")
    return cut + "…" + " " * (cols - 1 - width(cut))


class Clipped(dict[str, str]):
    """Texts clipped to one column's width, each clipped once (a ledger repeats its units,
    sources, deadlines and statuses down 100,000 rows)."""

    def __init__(self, cols: int) -> None:
        super().__init__()
        self.cols = cols

    def __missing__(self, text: str) -> str:
        hit = clip(text, self.cols)
        if len(self) < 200_000:
            self[text] = hit
        return hit


def write_lines(lines: Iterable[str]) -> None:
    """Write lines to stdout a few thousand at a time (not one call per line)."""
    out = sys.stdout
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= 5000:
            batch.append("")
            out.write("\n".join(batch))
            batch.clear()
    if batch:
        batch.append("")
        out.write("\n".join(batch))


def print_table(headers: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[int]
                ) -> None:
    """A plain aligned table for the terminal, written a few thousand lines at a time."""
    out = sys.stdout
    out.write("  ".join(clip(h, w) for h, w in zip(headers, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    caches = [Clipped(w) for w in widths]
    write_lines("  ".join([cache[c] for c, cache in zip(row, caches)]).rstrip() for row in rows)
