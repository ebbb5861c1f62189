"""`rectify demo | list | summary | check`: the ledger itself from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from tracker import clock
from tracker.cli.common import (
    Clipped,
    add_filter_args,
    filter_from,
    ledger_from,
    parse_day,
    print_table,
    write_lines,
)
from tracker.domain import MeasureRow, ProblemRow, Status
from tracker.services.as_of import is_past, problems_as_of
from tracker.services.queries import line_of, list_problems, problem_lines

LIST_HEADERS = ["序号", "问题来源", "存在问题", "牵头单位", "整改时限", "状态", "进度"]
LIST_WIDTHS = [4, 16, 40, 12, 14, 16, 5]


def register(sub: Any) -> None:
    """Add this module's subcommands."""
    p = sub.add_parser("demo", help="生成一份示例台账")
    p.add_argument("--problems", type=int, default=120, metavar="N", help="问题个数（默认120）")
    p.add_argument("--seed", type=int, default=2026, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("list", help="列出问题")
    add_filter_args(p)
    p.add_argument("--as-of", help="按台账在该日的状态列出（默认今天）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("summary", help="输出报告用的整改情况汇总句")
    p.add_argument("--as-of", help="截至日期（默认今天）")
    p.add_argument("--unit", help="只统计某牵头单位")
    p.add_argument("--source", help="只统计某问题来源")
    p.add_argument("--by-unit", action="store_true", help="同时输出分单位统计表")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("check", help="检查台账文件的完整性和外键")
    p.set_defaults(func=cmd_check)


def cmd_demo(args: argparse.Namespace) -> int:
    """Write a sample ledger."""
    if args.problems < 1 or args.problems > 1_000_000:
        from tracker.errors import ValidationError

        raise ValidationError("--problems 应在 1 到 1000000 之间。")
    from tracker.demo import build_demo  # only here: `rectify list` need not import it

    ledger = ledger_from(args)
    try:
        n = build_demo(ledger, args.problems, seed=args.seed)
        print(f"已生成示例台账：{n} 个问题，文件 {ledger.path}")
    finally:
        ledger.close()
    return 0


def _measure_json(m: MeasureRow) -> dict[str, object]:
    return {
        "id": m.id, "text": m.text, "lead_unit": m.lead_unit, "co_units": m.co_units,
        "owner": m.owner, "deadline": m.deadline.isoformat() if m.deadline else None,
        "deadline_text": m.deadline_text, "status": m.status.value,
        "done_on": m.done_on.isoformat() if m.done_on else None,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def problem_json(p: ProblemRow, as_of: dt.date) -> dict[str, object]:
    """The --json shape of one problem."""
    return {
        "id": p.id, "seq": p.seq, "source": p.source, "category": p.category,
        "description": p.description, "status": p.status.value,
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "overdue": p.is_overdue(as_of), "lead_unit": p.lead_unit, "owner": p.owner,
        "leader": p.leader, "co_units": p.co_units,
        "created_on": _iso(p.created_on), "closed_on": _iso(p.closeout_on),
        "verifier": p.closeout_by,
        "measures": [_measure_json(m) for m in p.measures],
    }


def cmd_list(args: argparse.Namespace) -> int:
    """Print the matching problems as a table or JSON."""
    as_of = parse_day(args.as_of, "--as-of") if args.as_of else clock.today()
    ledger = ledger_from(args, read_only=True)
    try:
        flt = filter_from(args, ledger, as_of)
        if is_past(as_of):
            # What the ledger knew that day: problems created since left out, later
            # completions and close-outs undone.
            rows = problems_as_of(ledger, flt, as_of)
            lines = [line_of(p, as_of) for p in rows]
        elif args.json:
            rows = list_problems(ledger, flt, with_measures=True)
        else:
            lines = problem_lines(ledger, flt, as_of=as_of)  # only what the table shows
    finally:
        ledger.close()
    if args.json:
        json.dump([problem_json(p, as_of) for p in rows], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print_table(LIST_HEADERS, [], LIST_WIDTHS)
    seq, source, text, unit, due, state, done = (Clipped(w) for w in LIST_WIDTHS)
    # 措施逾期: an open measure is past its deadline, even when the problem's last deadline
    # (the 整改时限 column) is still ahead, as the window says it.
    words = {(s, late): ("措施逾期 " if late else "") + s.label for s in Status for late in (0, 1)}
    # One f-string per problem from per-column caches: 700,000 cells, no per-cell call.
    write_lines(
        f"{seq[str(p.seq)]}  {source[p.source]}  {text[p.description]}  {unit[p.lead_unit]}  "
        f"{due[p.deadline_text]}  {state[words[p.status, p.overdue]]}  "
        f"{done[f'{p.measures_done}/{p.measures_total}']}".rstrip()
        for p in lines)
    print(f"共 {len(lines)} 个问题")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """Print the report sentence (and the per-unit table with --by-unit)."""
    as_of = parse_day(args.as_of, "--as-of") if args.as_of else clock.today()
    from tracker.summary import ledger_summary, percent, sentence, unit_counts

    ledger = ledger_from(args, read_only=True)
    try:
        flt = filter_from(args, ledger, as_of)
        summary = ledger_summary(ledger, flt, as_of)
        units = unit_counts(ledger, flt, as_of) if args.by_unit else []
    finally:
        ledger.close()
    subject = f"{args.unit}牵头的" if args.unit else ""
    print(sentence(summary, subject))
    if units:
        print()
        print_table(["牵头单位", "问题数", "已完成", "未完成", "逾期", "长期坚持", "完成率"],
                    [[u.unit, str(u.total), str(u.completed), str(u.open), str(u.overdue),
                      str(u.ongoing), percent(u.rate)] for u in units],
                    [16, 6, 6, 6, 6, 8, 7])
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Run integrity and foreign-key checks; exit 1 when anything is wrong."""
    from tracker.integrity import check_ledger

    ledger = ledger_from(args, read_only=True)
    try:
        report = check_ledger(ledger)
    finally:
        ledger.close()
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1
