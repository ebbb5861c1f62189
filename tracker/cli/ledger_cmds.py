"""`rectify demo | list | summary | check`: the ledger itself from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracker import clock, rules
from tracker.cli.common import (
    add_filter_args,
    checked_place,
    dump_json,
    filter_from,
    ledger_from,
    parse_day,
    print_table,
    server_url,
)
from tracker.cli.parser import INT, Subcommands
from tracker.cli.console import CliProgress
from tracker.domain import MeasureRow, ProblemFilter, ProblemRow

if TYPE_CHECKING:
    from tracker.closeout_model import EvidenceRow, ExtensionRow
    from tracker.db.engine import Ledger
    from tracker.services.queries import ProblemLine
    from tracker.summary import LedgerSummary, UnitCounts

JSON_CHUNK = 1000  # problems per read in `list --json`: flat memory, few queries


def register(sub: Subcommands) -> None:
    """Add this module's subcommands."""
    p = sub.add("demo", help="生成一份示例台账",
                description="生成一份虚构的示例台账（问题、措施、进展、销号和修改记录），用于试用和演示。"
                "台账文件不存在时新建（所在文件夹须已存在）。",
                example="rectify --db 示例.sqlite demo --problems 200")
    p.add_argument("--problems", type=INT, default=120, metavar="个数", help="问题个数（默认120）")
    p.add_argument("--seed", type=INT, default=2026, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)

    p = sub.add("list", help="列出问题（含编号）",
                description="按条件列出问题：编号（供 show、close、history --problem 使用）、序号、"
                "完整的问题来源名称、存在问题、牵头单位、整改时限、状态和措施完成数。"
                "--json 输出全部字段，含措施编号。",
                example="rectify list --unit 市教育局 --overdue")
    add_filter_args(p)
    p.add_argument("--as-of", metavar="日期", help="按台账在该日的状态列出（默认今天）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_list)

    p = sub.add("summary", help="输出报告用的整改情况汇总句",
                description="输出可直接写进报告的整改情况汇总句（问题数、完成数、完成率等），"
                "可按单位或来源统计，--by-unit 另附分单位统计表。",
                example="rectify summary --as-of 2026-11-23 --by-unit")
    p.add_argument("--as-of", metavar="日期", help="截至日期（默认今天）")
    p.add_argument("--unit", metavar="单位", help="只统计某牵头单位（见 rectify units）")
    p.add_argument("--source", metavar="来源", help="只统计某问题来源（名称或编号，见 rectify sources）")
    p.add_argument("--by-unit", action="store_true", help="同时输出分单位统计表")
    p.set_defaults(func=cmd_summary)

    p = sub.add("check", help="检查台账文件是否完好",
                description="检查台账文件：SQLite 完整性检查（文件是否损坏）、外键检查（措施、进展是否"
                "指向存在的问题、单位、来源）、问题的缓存值（状态、时限、完成数、搜索文本）是否与措施"
                "一致。全部正常时退出码为 0；发现任何问题时逐条列出，退出码为 1。",
                example="rectify --db 台账.sqlite check")
    p.set_defaults(func=cmd_check)


def cmd_demo(args: argparse.Namespace) -> int:
    """Write a sample ledger."""
    if args.problems < 1 or args.problems > 1_000_000:
        from tracker.errors import ValidationError

        raise ValidationError("--problems 应在 1 到 1000000 之间。")
    from tracker.demo import build_demo  # only here: `rectify list` need not import it

    ledger = ledger_from(args, creates=True)
    try:
        with CliProgress("正在生成示例台账") as progress:
            n = build_demo(ledger, args.problems, seed=args.seed, progress=progress.two())
        print(f"已生成示例台账：{n} 个问题，台账 {ledger.label}")
    finally:
        ledger.close()
    return 0


@dataclass(frozen=True)
class JsonExtras:
    """What `list --json` adds from the close-out cycle: evidence by problem, extensions by
    measure (read once for all the rows printed)."""

    evidence: dict[int, list[EvidenceRow]] = field(default_factory=dict)
    extensions: dict[int, list[ExtensionRow]] = field(default_factory=dict)

    @classmethod
    def read(cls, ledger: Ledger, rows: list[ProblemRow]) -> JsonExtras:
        """The extras of these rows."""
        from tracker.services.cycle import extensions_by_measure
        from tracker.services.evidence import evidence_by_problem

        return cls(evidence_by_problem(ledger, [p.id for p in rows]),
                   extensions_by_measure(ledger, [m.id for p in rows for m in p.measures]))


def _measure_json(m: MeasureRow, extras: JsonExtras) -> dict[str, object]:
    return {
        "id": m.id, "text": m.text, "lead_unit": m.lead_unit, "co_units": m.co_units,
        "owner": m.owner, "deadline": m.deadline.isoformat() if m.deadline else None,
        "deadline_text": m.deadline_text, "status": m.status.value, "percent": m.percent,
        "done_on": m.done_on.isoformat() if m.done_on else None,
        "original_deadline": (m.original_deadline_text or _iso(m.original_deadline))
        if m.extended else None,
        "extensions": [e.as_json() for e in extras.extensions.get(m.id, [])],
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def problem_json(p: ProblemRow, as_of: dt.date,
                 extras: JsonExtras = JsonExtras()) -> dict[str, object]:
    """The --json shape of one problem."""
    return {
        "id": p.id, "seq": p.seq, "source": p.source, "category": p.category,
        "description": p.description, "status": p.status.value,
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "overdue": p.is_overdue(as_of), "lead_unit": p.lead_unit, "owner": p.owner,
        "leader": p.leader, "co_units": p.co_units,
        "created_on": _iso(p.created_on), "closed_on": _iso(p.closeout_on),
        "verifier": p.closeout_by,
        "evidence": [e.as_json() for e in extras.evidence.get(p.id, [])],
        "measures": [_measure_json(m, extras) for m in p.measures],
    }


def write_json_stream(ledger: Ledger, ids: list[int], as_of: dt.date) -> None:
    """The --json array written JSON_CHUNK problems at a time (each chunk its own short read,
    with its evidence and extensions), so memory stays flat at 100,000 problems. Byte for
    byte what dump_json writes for the whole list."""
    from tracker.services.queries import list_problems

    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    ascii_only = not encoding.startswith("utf")
    out = sys.stdout
    out.write("[")
    first = True
    for start in range(0, len(ids), JSON_CHUNK):
        part = ids[start:start + JSON_CHUNK]
        found = {p.id: p for p in list_problems(ledger, ProblemFilter(ids=tuple(part)),
                                                with_measures=True)}
        rows = [found[i] for i in part if i in found]  # one deleted meanwhile is skipped
        extras = JsonExtras.read(ledger, rows)
        text = ", ".join(json.dumps(problem_json(p, as_of, extras), ensure_ascii=ascii_only)
                         for p in rows)
        if text:
            out.write(text if first else ", " + text)
            first = False
    out.write("]\n")


def cmd_list(args: argparse.Namespace) -> int:
    """Print the matching problems as a table or JSON."""
    # Only here: the other commands need not load (nor, without a bytecode cache, compile) them.
    from tracker.cli.list_output import write_json_chunks, write_list
    from tracker.services.list_read import ListRows, json_chunks, list_rows
    from tracker.services.as_of import is_past, problems_as_of
    from tracker.services.queries import line_of, problem_ids

    as_of = parse_day(args.as_of, "--as-of") if args.as_of is not None else clock.today()
    ledger = ledger_from(args, read_only=True)
    try:
        flt = filter_from(args, ledger, as_of)
        if is_past(as_of):
            # What the ledger knew that day: problems created since left out, later
            # completions and close-outs undone.
            rows = problems_as_of(ledger, flt, as_of)
            if args.json:
                extras = JsonExtras.read(ledger, rows)
                dump_json([problem_json(p, as_of, extras) for p in rows])
                return 0
            found = ListRows([(p.id, *_line_tuple(line_of(p, as_of))) for p in rows],
                             _names(p.source for p in rows), _names(p.lead_unit for p in rows))
        elif args.json:
            # A SQLite file from the driver's tuples; a server ledger through the services.
            chunks = json_chunks(ledger, flt, JSON_CHUNK)
            if chunks is None:
                write_json_stream(ledger, problem_ids(ledger, flt, sort="seq"), as_of)
            else:
                write_json_chunks(chunks, as_of)
            return 0
        else:
            found = list_rows(ledger, flt, as_of)  # only what the table shows
    finally:
        ledger.close()
    write_list(found)
    return 0


def _line_tuple(p: ProblemLine) -> tuple[object, ...]:
    """A short line (of a problem as of a past day) as list_rows' tuple after the id, its
    source and unit standing for themselves (see _names)."""
    return (p.seq, p.source, p.description, p.lead_unit, p.deadline_text, p.status.value,
            p.overdue, p.measures_done, p.measures_total)


def _names(names: Iterable[str]) -> dict[object, str]:
    """Each name standing for itself, as list_rows' ids stand for theirs."""
    return {n: n for n in names}


def cmd_summary(args: argparse.Namespace) -> int:
    """Print the report sentence (and the per-unit table with --by-unit)."""
    as_of = parse_day(args.as_of, "--as-of") if args.as_of is not None else clock.today()
    from tracker.summary import percent, sentence

    found = _whole_file_summary(args, as_of)
    if found is None:
        from tracker.summary import ledger_summary, summary_with_units

        ledger = ledger_from(args, read_only=True)
        try:
            flt = filter_from(args, ledger, as_of)
            found = (summary_with_units(ledger, flt, as_of) if args.by_unit
                     else (ledger_summary(ledger, flt, as_of), []))
        finally:
            ledger.close()
    summary, units = found
    print(sentence(summary, rules.unit_subject(args.unit)))
    if units:
        print()
        print_table(["牵头单位", "问题数", "已完成", "未完成", "逾期", "长期坚持", "完成率", "配合"],
                    [[u.unit, str(u.total), str(u.completed), str(u.open), str(u.overdue),
                      str(u.ongoing), percent(u.rate), str(u.cooperating)] for u in units],
                    [16, 6, 6, 6, 6, 8, 7, 4])
    return 0


def _whole_file_summary(args: argparse.Namespace, as_of: dt.date
                        ) -> tuple[LedgerSummary, list[UnitCounts]] | None:
    """The summary of a whole local ledger file for today or later, read before SQLAlchemy
    loads (services/summary_plain.py); None when a filter, a past day, a server ledger, an
    unusual file or today's automatic backup (not yet taken) needs the normal path."""
    # Any filter given, even an empty --unit "" (refused by the normal path), takes that path.
    filtered = any(getattr(args, k, None) not in (None, False)
                   for k in ("status", "unit", "source", "overdue"))
    if filtered or clock.is_past(as_of) or server_url(args):
        return None
    from tracker.db.backup import taken_today
    from tracker.db.location import folder_writable
    from tracker.services.summary_plain import plain_summary
    from tracker.summary import counts_of, summary_of

    path = checked_place(args, read_only=True)
    if not taken_today(path) and folder_writable(path.parent):
        return None  # opening the ledger takes today's automatic backup first: the normal path
    found = plain_summary(path, as_of, args.by_unit)
    if found is None:
        return None
    facts, tallies = found
    return summary_of(facts, as_of), counts_of(tallies) if tallies is not None else []


def cmd_check(args: argparse.Namespace) -> int:
    """Run integrity and foreign-key checks; exit 1 when anything is wrong."""
    from tracker.integrity import check_ledger

    ledger = ledger_from(args, read_only=True)
    try:
        with CliProgress("正在检查台账") as progress:
            progress(0, 0)
            report = check_ledger(ledger, lambda done, total: progress(done, total))
    finally:
        ledger.close()
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1
