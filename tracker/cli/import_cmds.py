"""`rectify import-excel FILE.xlsx|PACKAGE.zip`: bring a hand-made or round-tripped Excel ledger
in, or a unit's returned package (the ledger plus evidence in a folder per problem)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.cli.common import checked_place, ledger_from, ledger_path, parse_day, server_url
from tracker.cli.parser import Subcommands
from tracker.cli.console import CliProgress

if TYPE_CHECKING:
    from tracker.db.engine import Ledger
    from tracker.excel.import_plan import ImportPlan
    from tracker.excel.package_plan import PackagePlan

# Kept here rather than imported: the importer (openpyxl and all) loads only when it runs,
# so `rectify --help` and the other subcommands start faster.
KEEP_LEDGER, TAKE_FILE = "keep-ledger", "take-file"
RESOLUTIONS = (KEEP_LEDGER, TAKE_FILE)

EXIT_CONFLICT = 1
EXIT_DUPLICATES = 1


def register(sub: Subcommands) -> None:
    """Add the import-excel subcommand."""
    p = sub.add("import-excel", help="导入 Excel 台账（手工台账，或各单位填报后交回的台账、催办单）",
                description="导入 .xlsx 台账：手工制作的台账作为新问题导入；本程序导出、各单位填报后交回的"
                "台账或催办单按隐藏的编号更新原有问题。先检查整个文件，有错误时什么也不导入；"
                "--dry-run 做与正式导入相同的全部检查（重复导入、冲突），只是不写入，退出码与正式导入"
                "相同。台账文件不存在时新建（所在文件夹须已存在）。单位交回的材料包（.zip，由 rectify export "
                "--package 导出）中的台账同样导入，各问题文件夹中的文件作为佐证材料上传到该问题，"
                "与台账的修改在同一次保存中完成。",
                example="rectify import-excel 市教育局交回.xlsx --dry-run")
    p.add_argument("file", metavar="文件.xlsx", help="要导入的 .xlsx 文件，或单位交回的材料包 .zip")
    p.add_argument("--sheet", metavar="工作表", help="只导入这个工作表（默认：所有含台账表头的工作表）")
    p.add_argument("--source", metavar="来源",
                   help="问题来源名称（文件中没有“问题来源”列时使用；默认：文件名＋填报日期的年份）")
    p.add_argument("--dry-run", action="store_true", help="只检查并列出将要导入的内容，不写入台账")
    p.add_argument("--resolve", choices=RESOLUTIONS, metavar="|".join(RESOLUTIONS),
                   help=f"冲突时保留台账（{KEEP_LEDGER}）或采用文件（{TAKE_FILE}）")
    p.add_argument("--map", action="append", default=[], metavar="表头=字段",
                   help="指定某列导入为哪个字段，可重复；例如 --map 责任科室=牵头单位"
                   "（字段写“忽略”则不导入该列）")
    p.add_argument("--date", metavar="日期",
                   help="台账的填报日期，“年底前”等相对时限按它解读（默认：表中的填报日期，其次标题或"
                   "工作表名中的年份，再次今天，并给出提醒）")
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
    with tempfile.TemporaryDirectory(prefix="rectify-import-") as work:  # a package's ledger
        return _import(args, Path(work))


def _import(args: argparse.Namespace, work: Path) -> int:
    from tracker.db.engine import open_ledger

    target = ledger_path(args)
    if not target.exists() and not server_url(args):  # a server ledger always exists
        if not args.dry_run:
            checked_place(args, creates=True)  # a missing folder is refused before any work
        # Checked against an empty ledger, thrown away: a file that is refused leaves no new
        # ledger behind, and a dry run creates nothing.
        with tempfile.TemporaryDirectory() as tmp:
            scratch = open_ledger(Path(tmp) / "check.sqlite", auto_backup=False)
            try:
                plan, _package, code = _checked_plan(args, scratch, work)
            finally:
                scratch.close()
        if plan is None or args.dry_run:
            return code
        ledger = ledger_from(args, creates=True)
        try:
            return _apply(args, ledger, work)
        finally:
            ledger.close()
    ledger = ledger_from(args, read_only=args.dry_run)
    try:
        plan, package, code = _checked_plan(args, ledger, work)
        return code if plan is None or args.dry_run else _apply(args, ledger, work, plan, package)
    finally:
        ledger.close()


def _print_plan(plan: ImportPlan, mapping: bool = False) -> None:
    if mapping:  # the dry run shows how every column was read, and what was left out
        print(plan.mapping_text())
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


def _build(args: argparse.Namespace, ledger: Ledger, work: Path
           ) -> tuple[ImportPlan, PackagePlan | None]:
    """Read and check the whole file (a package's ledger taken out into ``work``) against
    ``ledger``; refused when it has errors."""
    from tracker.excel.import_plan import ImportOptions, build_plan
    from tracker.excel.package_plan import plan_package

    options = ImportOptions(sheet=args.sheet, source=args.source,
                            blank_continues=args.blank_continues, as_new=args.as_new,
                            column_map=tuple(args.map),
                            date=parse_day(args.date, "--date") if args.date else None)
    package = None
    with CliProgress("正在检查文件") as progress:
        if Path(args.file).suffix.lower() == ".zip":
            package = plan_package(ledger, Path(args.file), work, options, progress)
            plan = package.plan
        else:
            plan = build_plan(ledger, args.file, options, progress=progress)
    if plan.errors:
        raise plan.rejection()
    return plan, package


def _checked_plan(args: argparse.Namespace, ledger: Ledger, work: Path
                  ) -> tuple[ImportPlan | None, PackagePlan | None, int]:
    """The plan (and a package's files), printed, with the exit code; no plan when a check
    refuses it. A dry run runs every check the real run does and ends with the same code."""
    from tracker.services.imports import unresolved

    plan, package = _build(args, ledger, work)
    _print_plan(plan, mapping=args.dry_run)
    if package is not None:
        print("\n".join(package.lines()))
    nothing = "正式导入时将不会导入任何内容" if args.dry_run else "没有导入任何内容"
    if plan.all_duplicates and not args.allow_duplicates:
        print(f"rectify: 文件中的 {len(plan.problems)} 个问题台账里都已经有了（见上方提醒），"
              f"像是同一份台账重复导入。{nothing}。确要再导入一遍，请加 --allow-duplicates "
              "后重新运行。", file=sys.stderr)
        return None, None, EXIT_DUPLICATES
    waiting = unresolved(plan, args.resolve)
    if waiting:
        print(f"rectify: 有 {len(waiting)} 处内容在导出后已在台账中修改过，文件里也改了（见上方【冲突】）。"
              f"{nothing}。请加 --resolve {KEEP_LEDGER}（保留台账）或 --resolve "
              f"{TAKE_FILE}（采用文件）后重新运行。", file=sys.stderr)
        return None, None, EXIT_CONFLICT
    if args.dry_run:
        print("（--dry-run：未写入台账）")
    return plan, package, 0


def _apply(args: argparse.Namespace, ledger: Ledger, work: Path, plan: ImportPlan | None = None,
           package: PackagePlan | None = None) -> int:
    """Write the plan and a package's files in one transaction (built again against a ledger
    just created: it was checked, and printed, against an empty one)."""
    from tracker.services.imports import apply_plan

    if plan is None:
        plan, package = _build(args, ledger, work)
    files = package.pending() if package is not None else []
    with CliProgress("正在导入") as progress:
        result = apply_plan(ledger, plan, args.resolve, progress=progress, attachments=files)
    print(result.summary())
    return 0
