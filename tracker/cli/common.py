"""Shared pieces of the subcommands: opening the ledger, parsing dates, printing tables."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain import ProblemFilter, Status
from tracker.errors import LedgerOpenError, NotFoundError, ValidationError

if TYPE_CHECKING:
    from tracker.db.engine import Ledger


def server_url(args: argparse.Namespace) -> str:
    """The postgresql:// URL that --db (or RECTIFY_DB) names, or '' for a ledger file."""
    from tracker.db.location import is_server_url  # not tracker.db.server: no SQLAlchemy yet

    db = getattr(args, "db", None)
    target = str(db) if db else os.environ.get("RECTIFY_DB", "")
    return target.strip() if is_server_url(target) else ""


def ledger_target(args: argparse.Namespace) -> Path | str:
    """What to hand open_ledger: the server URL, or the ledger file made absolute."""
    return server_url(args) or ledger_path(args)


def ledger_path(args: argparse.Namespace) -> Path:
    """The ledger file --db (or RECTIFY_DB, or the default) names, made absolute; for a
    server ledger its local stand-in, beside which its local backups are kept."""
    from tracker.db.location import default_ledger_path

    url = server_url(args)
    if url:
        from tracker.db import server

        return server.local_anchor(server.parse_url(url))
    db = getattr(args, "db", None)
    return (Path(db).expanduser() if db else default_ledger_path()).absolute()


def _is_default_place(args: argparse.Namespace) -> bool:
    """No --db and no RECTIFY_DB: the program's own data folder, which it may create."""
    return not getattr(args, "db", None) and not os.environ.get("RECTIFY_DB")


def checked_place(args: argparse.Namespace, read_only: bool = False, creates: bool = False
                  ) -> Path:
    """The ledger path, refused when it is a folder, or missing and the command may not
    create it, or to be created in a folder that does not exist."""
    path = ledger_path(args)
    if server_url(args):
        return path  # a server ledger: its database is checked when connecting
    if path.is_dir():
        raise LedgerOpenError(f"“{path}”是一个文件夹，不是台账文件。请在 --db 后给出台账文件名。")
    new = not path.exists()
    if new and (read_only or not creates):
        raise NotFoundError(f"找不到台账文件“{path}”。请检查 --db 给出的路径"
                            "（rectify demo 或 rectify import-excel 可以新建台账）。")
    if new and not path.parent.is_dir() and not _is_default_place(args):
        raise NotFoundError(f"文件夹“{path.parent}”不存在，无法在那里新建台账。请先建好文件夹，"
                            "或检查 --db 给出的路径。")
    return path


def ledger_from(args: argparse.Namespace, read_only: bool = False, creates: bool = False,
                user: str | None = None) -> Ledger:
    """Open the ledger named by --db (or RECTIFY_DB, or the default file).

    A missing file is refused unless the command creates ledgers (``creates``): a mistyped
    --db must not leave folders and an empty ledger behind. A new ledger goes only into an
    existing folder (the default data folder excepted), and the command says so."""
    from tracker.db.engine import open_ledger

    url = server_url(args)
    if url:
        return open_ledger(url, read_only=read_only, user=user)
    path = checked_place(args, read_only=read_only, creates=creates)
    new = not path.exists()
    ledger = open_ledger(path, read_only=read_only, user=user)
    if new:
        notice(f"已新建台账 {ledger.path}")
    return ledger


def dump_json(data: object, indent: int | None = None) -> None:
    """JSON on stdout, one document and a newline. Chinese is written as itself when stdout
    can hold every character (UTF-8), else as \\u escapes: a GBK pipe must not turn 𠮷 into
    ? in data a script reads, and every JSON reader decodes the escapes."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    json.dump(data, sys.stdout, ensure_ascii=not encoding.startswith("utf"), indent=indent)
    sys.stdout.write("\n")


def notice(text: str) -> None:
    """A line for the clerk on stderr (stdout may be JSON a script reads)."""
    print(f"rectify: {text}", file=sys.stderr)


_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
)


def parse_day(text: str, what: str = "日期") -> dt.date:
    """A date option: 2026-11-23, 2026年11月23日, 2026.11.23 or 2026/11/23, and nothing else
    (年底前 or 立行立改 are deadlines, not dates)."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    for form in _DATE_FORMS:
        m = form.fullmatch(cleaned)
        if m:
            try:
                return dt.date(*(int(g) for g in m.groups()))
            except ValueError:
                raise ValidationError(f"{what}“{text}”不是存在的日期，请检查年月日。") from None
    raise ValidationError(f"{what}“{text}”不是日期。请写成 2026-11-23、2026年11月23日、"
                          "2026.11.23 或 2026/11/23。")


STATUS_HELP = "状态：" + "、".join(f"{s.label}（{s.value}）" for s in Status)


def parse_status(text: str) -> Status:
    """A status given as code (done) or word (已完成)."""
    try:
        return Status.from_label(text)
    except ValueError:
        words = "、".join(f"{s.label}({s.value})" for s in Status)
        raise ValidationError(f"未知的状态“{text}”，可用：{words}") from None


def add_filter_args(p: argparse.ArgumentParser) -> None:
    """--status --unit --source --overdue, shared by list, summary and export."""
    p.add_argument("--status", metavar="状态", help=STATUS_HELP)
    p.add_argument("--unit", metavar="单位", help="牵头单位名称（见 rectify units）")
    p.add_argument("--source", metavar="来源", help="问题来源名称或编号（见 rectify sources）")
    p.add_argument("--overdue", action="store_true", help="只看逾期未完成的")


def filter_from(args: argparse.Namespace, ledger: Ledger, as_of: dt.date | None = None
                ) -> ProblemFilter:
    """Build a ProblemFilter from the shared filter arguments; an unknown unit or source is
    refused (with the closest names), never answered with an empty table."""
    from tracker.services.lookup import match_source, match_unit

    source = getattr(args, "source", None)
    unit = getattr(args, "unit", None)
    if unit is not None:
        args.unit = unit = match_unit(ledger, unit)  # the stored spelling, for the messages
    return ProblemFilter(
        source_id=match_source(ledger, source).id if source else None,
        unit=unit or None,
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
