"""`rectify report OUT.docx`: the 整改情况报告, 巡察整改通报 or 调度通报 written from the ledger
as of a day, in GB/T 9704 layout (or a clerk's own Word template)."""

from __future__ import annotations

import argparse
from typing import Any

from tracker import clock
from tracker.cli.common import filter_from, ledger_from, parse_day
from tracker.rules import unit_subject
from tracker.writeup.model import TEMPLATE_NAMES, ReportOptions, template_key

GUI_HINT = "文件 > 生成报告…"


def register(sub: Any) -> None:
    """Add the report subcommand."""
    names = "、".join(f"{label}（{key}）" for key, label in TEMPLATE_NAMES.items())
    kwargs = {
        "help": "生成整改情况报告、巡察整改通报或调度通报（Word 文档）",
        "description": "按台账在某日的状态生成 Word 报告（公文格式，GB/T 9704-2012）。"
        f"内置模板：{names}；也可用 --template 指定自己的 .docx 模板（占位符见 "
        f"docs/report-templates.md）。窗口中为“{GUI_HINT}”。",
    }
    example = "rectify report 整改情况报告.docx --org 中卫市教育局 --as-of 2026-11-23"
    # The front door's Subcommands adds the example; plain argparse subparsers do not know it.
    p = (sub.add("report", example=example, **kwargs) if hasattr(sub, "add")
         else sub.add_parser("report", **kwargs))
    p.add_argument("out", metavar="OUT.docx", help="要写入的报告文件")
    p.add_argument("--as-of", metavar="日期", help="截至日期（默认今天）")
    p.add_argument("--since", metavar="日期", help="上期日期：调度通报比较这一天以来的变化")
    p.add_argument("--source", metavar="来源", help="问题来源名称（或编号）")
    p.add_argument("--unit", metavar="单位", help="牵头单位名称")
    p.add_argument("--status", metavar="状态", help="状态：未启动/整改中/已完成/已销号/长期坚持")
    p.add_argument("--template", metavar="NAME|FILE.docx",
                   help="模板：整改情况报告（默认）、巡察整改通报、调度通报，或 .docx 模板文件")
    p.add_argument("--title", metavar="标题", help="标题（默认按模板和来源生成）")
    p.add_argument("--org", metavar="署名", help="发文机关署名，如 中卫市教育局")
    p.add_argument("--date", metavar="日期", help="成文日期（默认今天）")
    p.set_defaults(func=cmd_report)


def options_from(args: argparse.Namespace, flt: Any, as_of: Any) -> ReportOptions:
    """The report options the arguments ask for (template defaults to 调度通报 with --since)."""
    since = parse_day(args.since, "--since") if args.since else None
    template = args.template or ("dispatch" if since is not None else "situation")
    return ReportOptions(
        flt=flt, as_of=as_of, since=since, template=template, title=args.title or "",
        org=args.org or "", date=parse_day(args.date, "--date") if args.date else None,
        subject=unit_subject(args.unit),  # as `rectify summary` words it
    )


def cmd_report(args: argparse.Namespace) -> int:
    """Gather the facts as of the day and write the document."""
    as_of = parse_day(args.as_of, "--as-of") if args.as_of else clock.today()
    from tracker.writeup import write_report

    ledger = ledger_from(args, read_only=True)
    try:
        flt = filter_from(args, ledger, as_of)
        options = options_from(args, flt, as_of)
        data = write_report(ledger, options, args.out)
    finally:
        ledger.close()
    kind = TEMPLATE_NAMES.get(template_key(options.template) or "", "自定义模板")
    print(f"已生成{kind}：{args.out}（{len(data.problems)} 个问题，截至{as_of.isoformat()}）")
    print(data.sentence)
    return 0
