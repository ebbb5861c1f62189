"""`rectify export | remind`: the printable Excel ledger and a unit's reminder notice."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tracker.cli.common import add_filter_args, filter_from, ledger_from, parse_day
from tracker.errors import ValidationError
from tracker.excel.export_options import (
    COLUMNS,
    DEFAULT_TABLE_FONT,
    DEFAULT_TITLE_FONT,
    ORG_SETTING,
    ExportOptions,
)
from tracker.services.reference import get_setting


def _add_paper_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", help="填报单位（默认：台账中保存的单位名称）")
    p.add_argument("--date", help="填报日期，也是判断逾期的日期（默认今天）")
    p.add_argument("--filler", default="", help="填报人")
    p.add_argument("--phone", default="", help="联系电话")
    p.add_argument("--table-font", default=DEFAULT_TABLE_FONT, help="表格字体（默认宋体）")
    p.add_argument("--title-font", default=DEFAULT_TITLE_FONT, help="标题字体（默认黑体）")
    p.add_argument("--font-size", type=float, default=10.0, help="表格字号（磅，默认10）")


def register(sub: Any) -> None:
    """Add this module's subcommands."""
    names = "、".join(c.header for c in COLUMNS.values())
    p = sub.add_parser("export", help="导出可直接打印的 Excel 整改台账")
    p.add_argument("file", metavar="FILE.xlsx", help="要写入的 Excel 文件")
    add_filter_args(p)
    p.add_argument("--title", default="", help="台账标题（默认按来源和单位生成）")
    p.add_argument("--by-unit", action="store_true", help="每个牵头单位另加一个工作表（分单位台账）")
    p.add_argument("--columns", help=f"导出哪些列、按什么顺序，用逗号分隔（可用：{names}）")
    p.add_argument("--no-stats", action="store_true", help="不加“统计”工作表")
    _add_paper_args(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("remind", help="为某单位生成催办单（Excel）")
    p.add_argument("file", metavar="FILE.xlsx", help="要写入的 Excel 文件")
    p.add_argument("--unit", required=True, help="被催办的牵头单位")
    p.add_argument("--reply-by", help="要求报送进展的日期")
    p.add_argument("--title", default="", help="标题（默认“整改事项催办单”）")
    _add_paper_args(p)
    p.set_defaults(func=cmd_remind)


def _xlsx(text: str) -> Path:
    path = Path(text).expanduser()
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(f"导出文件“{text}”应以 .xlsx 结尾。")
    return path


def _options(args: argparse.Namespace, org: str, **more: Any) -> ExportOptions:
    if not 6 <= args.font_size <= 20:
        raise ValidationError("--font-size 应在 6 到 20 磅之间。")
    return ExportOptions(
        org=org, report_date=parse_day(args.date, "--date") if args.date else None,
        filler=args.filler, phone=args.phone, table_font=args.table_font,
        title_font=args.title_font, font_size=args.font_size, **more)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the filtered ledger to an .xlsx file."""
    path = _xlsx(args.file)
    ledger = ledger_from(args, read_only=True)
    try:
        org = args.org if args.org is not None else get_setting(ledger, ORG_SETTING)
        columns = tuple(c.strip() for c in args.columns.split(",") if c.strip()) \
            if args.columns else tuple(COLUMNS)
        options = _options(args, org, title=args.title, by_unit=args.by_unit,
                           stats=not args.no_stats, columns=columns)
        flt = filter_from(args, ledger, options.day)
        from tracker.excel.export import export_ledger  # openpyxl only when exporting

        result = export_ledger(ledger, path, flt, options)
    finally:
        ledger.close()
    print(f"已导出 {result.problems} 个问题（{result.rows} 行）到 {result.path}")
    print(f"工作表：{'、'.join(result.sheets)}")
    if result.problems == 0:
        print("提示：没有符合条件的问题，台账只有表头。", file=sys.stderr)
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    """Write one unit's reminder notice to an .xlsx file."""
    path = _xlsx(args.file)
    ledger = ledger_from(args, read_only=True)
    try:
        org = args.org if args.org is not None else get_setting(ledger, ORG_SETTING)
        options = _options(args, org, title=args.title)
        reply_by = parse_day(args.reply_by, "--reply-by") if args.reply_by else None
        from tracker.excel.reminder import export_reminder

        result = export_reminder(ledger, args.unit, path, options, reply_by)
    finally:
        ledger.close()
    print(f"已生成“{args.unit}”的催办单：{result.items} 项未完成（逾期 {result.overdue} 项，"
          f"30天内到期 {result.due_soon} 项），文件 {result.path}")
    return 0
