"""`rectify export | remind`: the printable Excel ledger and a unit's reminder notice."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tracker.cli.common import add_filter_args, filter_from, ledger_from, parse_day
from tracker.cli.parser import NUMBER, Subcommands
from tracker.cli.console import CliProgress
from tracker.errors import NotFoundError, ValidationError
from tracker.excel.export_options import (
    COLUMNS,
    DEFAULT_COLUMNS,
    DEFAULT_TABLE_FONT,
    DEFAULT_TITLE_FONT,
    ORG_SETTING,
    ExportOptions,
)


def _add_paper_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", metavar="单位", help="填报单位（默认：台账中保存的单位名称）")
    p.add_argument("--date", metavar="日期", help="填报日期，也是判断逾期的日期（默认今天）")
    p.add_argument("--since", metavar="日期",
                   help="上期日期：“统计”工作表加上本期与上期的对比（新完成、新销号、新逾期、延期、新增，"
                   "按单位）")
    p.add_argument("--filler", default="", metavar="姓名", help="填报人")
    p.add_argument("--phone", default="", metavar="电话", help="联系电话")
    p.add_argument("--table-font", default=DEFAULT_TABLE_FONT, metavar="字体",
                   help="表格字体（默认宋体）")
    p.add_argument("--title-font", default=DEFAULT_TITLE_FONT, metavar="字体",
                   help="标题字体（默认黑体）")
    p.add_argument("--font-size", type=NUMBER, default=10.0, metavar="磅",
                   help="表格字号（6 到 20 磅，默认10）")


def register(sub: Subcommands) -> None:
    """Add this module's subcommands."""
    names = "、".join(c.header for c in COLUMNS.values())
    p = sub.add("export", help="导出可直接打印的 Excel 整改台账",
                description="把（按条件筛选的）台账导出为可直接打印的 .xlsx 文件：标题、填报单位和日期、"
                "合并单元格的台账表、统计工作表，以及供交回时导入用的隐藏编号列。",
                example="rectify export 台账.xlsx --unit 市教育局 --date 2026-11-23 --by-unit")
    p.add_argument("file", nargs="?", metavar="文件.xlsx", help="要写入的 Excel 文件")
    p.add_argument("--package", metavar="文件.zip",
                   help="改为导出给单位的材料包：台账、每个问题一个空文件夹（供放佐证材料）和说明.txt；"
                   "单位填好交回后用 rectify import-excel 文件.zip 导入")
    add_filter_args(p)
    p.add_argument("--title", default="", metavar="标题", help="台账标题（默认按来源和单位生成）")
    p.add_argument("--by-unit", action="store_true", help="每个牵头单位另加一个工作表（分单位台账）")
    p.add_argument("--columns", metavar="列名", help=f"导出哪些列、按什么顺序，用逗号分隔（可用：{names}）")
    p.add_argument("--no-stats", action="store_true", help="不加“统计”工作表")
    _add_paper_args(p)
    p.set_defaults(func=cmd_export)

    p = sub.add("remind", help="为某单位生成催办单（Excel）",
                description="为一个牵头单位生成催办单：它未完成的整改事项（逾期的在前）、时限提示和留给"
                "该单位填写最新进展的一列。单位填好交回后，可用 rectify import-excel 导入。"
                "该单位没有未完成的事项时不生成文件。",
                example="rectify remind 催办单.xlsx --unit 市教育局 --reply-by 2026-12-10")
    p.add_argument("file", metavar="文件.xlsx", help="要写入的 Excel 文件")
    p.add_argument("--unit", required=True, metavar="单位", help="被催办的牵头单位（见 rectify units）")
    p.add_argument("--reply-by", metavar="日期", help="要求报送进展的日期")
    p.add_argument("--title", default="", metavar="标题", help="标题（默认“整改事项催办单”）")
    _add_paper_args(p)
    p.set_defaults(func=cmd_remind)


def _xlsx(text: str) -> Path:
    path = Path(text).expanduser()
    if path.is_dir():
        raise ValidationError(f"“{text}”是一个文件夹。请给出要写入的文件名，如 {path / '台账.xlsx'}。")
    if path.suffix.lower() == ".zip":
        raise ValidationError(f"要导出给单位的材料包，请用 --package {text}。")
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(f"导出文件“{text}”应以 .xlsx 结尾。")
    if not path.parent.is_dir():
        raise NotFoundError(f"文件夹“{path.parent}”不存在，无法导出。请先建好文件夹或换一个位置。")
    return path


def _options(args: argparse.Namespace, org: str, **more: Any) -> ExportOptions:
    if not 6 <= args.font_size <= 20:
        raise ValidationError("--font-size 应在 6 到 20 磅之间。")
    return ExportOptions(
        org=org, report_date=parse_day(args.date, "--date") if args.date is not None else None,
        filler=args.filler, phone=args.phone, table_font=args.table_font,
        title_font=args.title_font, font_size=args.font_size, **more)


def _zip(text: str) -> Path:
    path = Path(text).expanduser()
    if path.suffix.lower() != ".zip":
        raise ValidationError(f"材料包“{text}”应以 .zip 结尾。")
    if not path.parent.is_dir():
        raise NotFoundError(f"文件夹“{path.parent}”不存在，无法导出。请先建好文件夹或换一个位置。")
    return path


def cmd_export(args: argparse.Namespace) -> int:
    """Write the filtered ledger to an .xlsx file (or a package for a unit to fill)."""
    from tracker.services.reference import get_setting

    if (args.file is None) == (args.package is None):
        raise ValidationError("请给出要写入的 .xlsx 文件，或用 --package 文件.zip 导出材料包（二者选一）。")
    path = _xlsx(args.file) if args.file is not None else _zip(args.package)
    ledger = ledger_from(args, read_only=True)
    try:
        org = args.org if args.org is not None else get_setting(ledger, ORG_SETTING)
        columns = tuple(c.strip() for c in args.columns.split(",") if c.strip()) \
            if args.columns else DEFAULT_COLUMNS  # 佐证材料 joins them when there is evidence
        since = parse_day(args.since, "--since") if args.since is not None else None
        options = _options(args, org, title=args.title, by_unit=args.by_unit,
                           stats=not args.no_stats, columns=columns, since=since)
        flt = filter_from(args, ledger, options.day)
        from tracker.excel.export import export_ledger  # openpyxl only when exporting
        from tracker.excel.package import write_package

        with CliProgress("正在导出台账") as progress:
            if args.package is None:
                result = export_ledger(ledger, path, flt, options, progress=progress)
            else:
                package = write_package(ledger, path, flt, options, progress=progress)
                result = package.ledger
    finally:
        ledger.close()
    if args.package is not None:
        print(f"已导出材料包 {package.path}：台账“{package.ledger_name}”（{result.problems} 个问题），"
              f"每个问题一个佐证材料文件夹，另附说明.txt")
        return 0
    print(f"已导出 {result.problems} 个问题（{result.rows} 行）到 {result.path}")
    print(f"工作表：{'、'.join(result.sheets)}")
    if result.problems == 0:
        print("提示：没有符合条件的问题，台账只有表头。", file=sys.stderr)
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    """Write one unit's reminder notice to an .xlsx file."""
    from tracker.services.lookup import match_unit
    from tracker.services.reference import get_setting

    path = _xlsx(args.file)
    ledger = ledger_from(args, read_only=True)
    try:
        org = args.org if args.org is not None else get_setting(ledger, ORG_SETTING)
        options = _options(args, org, title=args.title)
        reply_by = parse_day(args.reply_by, "--reply-by") if args.reply_by is not None else None
        unit = match_unit(ledger, args.unit)
        from tracker.excel.reminder import export_reminder, reminder_items

        if not reminder_items(ledger, unit, options.day):
            print(f"“{unit}”牵头或配合的整改事项都已完成（或没有），不需要催办，没有生成文件。")
            return 0
        with CliProgress("正在生成催办单") as progress:
            result = export_reminder(ledger, unit, path, options, reply_by, progress=progress)
    finally:
        ledger.close()
    args.unit = unit
    print(f"已生成“{args.unit}”的催办单：{result.items} 项未完成（逾期 {result.overdue} 项，"
          f"30天内到期 {result.due_soon} 项），文件 {result.path}")
    return 0
