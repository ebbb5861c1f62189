"""`rectify import-excel FILE.xlsx`: bring a hand-made or round-tripped Excel ledger in."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from tracker.cli.common import ledger_from
from tracker.db.engine import Ledger, default_ledger_path, open_ledger

if TYPE_CHECKING:
    from tracker.excel.import_plan import ImportPlan

# Kept here rather than imported: the importer (openpyxl and all) loads only when it runs,
# so `rectify --help` and the other subcommands start faster.
KEEP_LEDGER, TAKE_FILE = "keep-ledger", "take-file"
RESOLUTIONS = (KEEP_LEDGER, TAKE_FILE)

EXIT_CONFLICT = 1
EXIT_DUPLICATES = 1


def register(sub: Any) -> None:
    """Add the import-excel subcommand."""
    p = sub.add_parser("import-excel", help="导入 Excel 台账（手工台账，或各单位填报后交回的台账）")
    p.add_argument("file", metavar="FILE.xlsx", help="要导入的 .xlsx 文件")
    p.add_argument("--sheet", metavar="NAME", help="只导入这个工作表（默认：所有含台账表头的工作表）")
    p.add_argument("--source", metavar="NAME",
                   help="问题来源名称（文件中没有“问题来源”列时使用；默认：文件名＋填报日期的年份）")
    p.add_argument("--dry-run", action="store_true", help="只检查并列出将要导入的内容，不写入台账")
    p.add_argument("--resolve", choices=RESOLUTIONS, metavar="|".join(RESOLUTIONS),
                   help=f"冲突时保留台账（{KEEP_LEDGER}）或采用文件（{TAKE_FILE}）")
    p.add_argument("--blank-continues", action="store_true",
                   help="“存在问题”为空且未合并的行，并入上一问题作为另一项措施（默认报错）")
    p.add_argument("--as-new", action="store_true",
                   help="本程序导出的台账（例如从另一个台账导出的）也全部作为新问题导入，"
                        "不按隐藏的问题ID更新原有问题")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="文件中的问题台账里都已有（像是重复导入）时仍然导入")
    p.set_defaults(func=cmd_import_excel)


def cmd_import_excel(args: argparse.Namespace) -> int:
    """Check the whole file, show what will change, then import it in one transaction."""
    target = Path(args.db).expanduser() if getattr(args, "db", None) else default_ledger_path()
    if args.dry_run and not target.exists():
        # Checking a file against a ledger that does not exist yet: an empty one, thrown away.
        with tempfile.TemporaryDirectory() as tmp:
            ledger = open_ledger(Path(tmp) / "dry-run.sqlite")
            try:
                return _run(args, ledger)
            finally:
                ledger.close()
    ledger = ledger_from(args, read_only=args.dry_run)
    try:
        return _run(args, ledger)
    finally:
        ledger.close()


def _print_plan(plan: ImportPlan) -> None:
    for sheet in plan.sheets:
        if sheet.skipped and len(plan.sheets) > 1:
            print(f"跳过工作表“{sheet.name}”：{sheet.skipped}")
    for f in plan.warnings:
        where = f"工作表“{f.sheet}”" + (f"第{f.row}行" if f.row else "") + (
            f"{f.column}列" if f.column else "")
        print(f"提醒：{where}：{f.message}")
    if plan.updates:
        print("文件中的修改：")
        for u in plan.updates:
            print(u.describe())
    print(plan.summary())


def _run(args: argparse.Namespace, ledger: Ledger) -> int:
    from tracker.excel.import_plan import ImportOptions, build_plan
    from tracker.services.imports import apply_plan, unresolved

    options = ImportOptions(sheet=args.sheet, source=args.source,
                            blank_continues=args.blank_continues, as_new=args.as_new)
    plan = build_plan(ledger, args.file, options)
    if plan.errors:
        raise plan.rejection()
    _print_plan(plan)
    if args.dry_run:
        print("（--dry-run：未写入台账）")
        return 0
    if plan.all_duplicates and not args.allow_duplicates:
        print(f"rectify: 文件中的 {len(plan.problems)} 个问题台账里都已经有了（见上方提醒），"
              "像是同一份台账重复导入。没有导入任何内容。确要再导入一遍，请加 --allow-duplicates "
              "后重新运行。", file=sys.stderr)
        return EXIT_DUPLICATES
    waiting = unresolved(plan, args.resolve)
    if waiting:
        print(f"rectify: 有 {len(waiting)} 处内容在导出后已在台账中修改过，文件里也改了（见上方【冲突】）。"
              f"没有导入任何内容。请加 --resolve {KEEP_LEDGER}（保留台账）或 --resolve "
              f"{TAKE_FILE}（采用文件）后重新运行。", file=sys.stderr)
        return EXIT_CONFLICT
    print(apply_plan(ledger, plan, args.resolve).summary())
    return 0
