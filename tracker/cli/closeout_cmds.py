"""`rectify attach | evidence | return | extend | recheck | config`: the close-out cycle (佐证材料,
退回, 延期, 回头看, the ledger's close-out rules) from the command line, through the same services
as the window."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tracker.cli.common import add_filter_args, filter_from, ledger_from, parse_day, print_table
from tracker.cli.parser import INT, Subcommands
from tracker.closeout_model import SETTING_KEYS as KEYS
from tracker.closeout_model import EvidenceRow, size_words


def register(sub: Subcommands) -> None:
    """Add this module's subcommands."""
    p = sub.add("attach", help="给问题（或其一项措施）上传佐证材料",
                description="把文件（PDF、照片、Word、Excel、扫描件等）作为佐证材料存入台账文件本身，"
                "备份台账即备份材料；相同内容的文件只存一份。单个文件的上限见 rectify config。",
                example="rectify attach 12 整改报告.pdf 现场照片.jpg --note 食堂整改后现场")
    p.add_argument("problem_id", type=INT, metavar="问题编号", help="问题编号（见 rectify list）")
    p.add_argument("files", nargs="+", type=Path, metavar="文件", help="一个或多个文件")
    p.add_argument("--measure", type=INT, metavar="措施编号", help="材料属于该问题的哪项措施")
    p.add_argument("--note", default="", metavar="说明", help="材料说明")
    p.set_defaults(func=cmd_attach)

    p = sub.add("evidence", help="列出或导出一个问题的佐证材料",
                description="列出问题的佐证材料（编号、文件名、大小、上传日期、说明）；--export 把文件"
                "写到一个文件夹（文件名已清理，重名时加序号）。",
                example="rectify evidence 12 --export D:/材料/问题12")
    p.add_argument("problem_id", type=INT, metavar="问题编号", help="问题编号")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--export", type=Path, metavar="文件夹", help="把材料导出到此文件夹")
    p.set_defaults(func=cmd_evidence)

    p = sub.add("return", help="退回一项已完成的措施（佐证不足时），改回“整改中”",
                description="把一项“已完成”的措施退回为“整改中”，退回理由记为一条整改进展并记入修改记录。",
                example="rectify return 45 --reason 照片不能证明整改到位")
    p.add_argument("measure_id", type=INT, metavar="措施编号", help="措施编号（见 rectify show）")
    p.add_argument("--reason", required=True, metavar="理由", help="退回理由")
    p.set_defaults(func=cmd_return)

    p = sub.add("extend", help="批准一项措施延期：新时限、理由、批准人（原时限保留在案）",
                description="把一项未完成措施的整改时限延后。原定时限保留，台账、导出和催办单显示"
                "“新时限（原定…，已延期）”，统计句单列“其中延期N项”。",
                example="rectify extend 45 --to 2027年6月底前 --reason 资金未到位 --approved-by 王局长")
    p.add_argument("measure_id", type=INT, metavar="措施编号", help="措施编号")
    p.add_argument("--to", required=True, metavar="时限", help="新的整改时限，如 2027年6月底前")
    p.add_argument("--reason", required=True, metavar="理由", help="延期理由")
    p.add_argument("--approved-by", default="", metavar="姓名", help="批准人")
    p.add_argument("--date", metavar="日期", help="批准日期（默认今天）")
    p.set_defaults(func=cmd_extend)

    p = sub.add("recheck", help="记录已销号问题的“回头看”：合格，或不合格并重新打开",
                description="记录回头看的日期、结果和情况。不合格时问题重新打开（措施改回“整改中”），"
                "原因记入整改进展和修改记录。",
                example="rectify recheck 12 --result 不合格 --note 留样记录再次缺失")
    p.add_argument("problem_id", type=INT, metavar="问题编号", help="问题编号")
    p.add_argument("--result", required=True, choices=["合格", "不合格"], metavar="结果",
                   help="合格 或 不合格")
    p.add_argument("--note", default="", metavar="情况", help="检查情况（不合格时必填）")
    p.add_argument("--date", metavar="日期", help="回头看日期（默认今天）")
    p.set_defaults(func=cmd_recheck)

    p = sub.add("closeout-form", help="生成整改销号单（每个问题一页，A4 竖版，供核验人和单位负责人签字）",
                description="为一个或多个问题各生成一页整改销号单：问题、来源、各项措施及完成情况、佐证材料"
                "清单、核验意见，以及核验人和责任单位负责人的签字、日期栏。保存为 .xlsx（可在 Excel 或 WPS "
                "中打印或另存为 PDF），或直接保存为 .pdf（需要安装 LibreOffice）。",
                example="rectify closeout-form 12 15 销号单.pdf --org XX县教育督导室")
    p.add_argument("ids", nargs="+", type=INT, metavar="问题编号", help="一个或多个问题编号")
    p.add_argument("out", type=Path, metavar="文件.xlsx|文件.pdf", help="保存到此文件（.xlsx 或 .pdf）")
    p.add_argument("--org", default="", metavar="单位", help="填报单位")
    p.set_defaults(func=cmd_closeout_form)

    p = sub.add("archive", help="导出一问题一档案（zip：每个问题一个文件夹，含销号单、修改记录和佐证材料）",
                description="按筛选条件把问题导出为一个 zip：每个问题一个文件夹（编号-存在问题开头），内有"
                "整改销号单.xlsx、修改记录.xlsx 和“佐证材料”文件夹。",
                example="rectify archive 档案.zip --status 已销号")
    p.add_argument("out", type=Path, metavar="文件.zip", help="保存到此文件")
    add_filter_args(p)
    p.set_defaults(func=cmd_archive)

    keys = "、".join(f"{k}（{label}）" for k, (_a, label) in KEYS.items())
    p = sub.add("config", help="查看或修改本台账的销号规则",
                description=f"不带参数时列出本台账的设置；给出 设置名 和 值 时修改。可用的设置：{keys}。",
                example="rectify config closeout.needs_evidence 否")
    p.add_argument("key", nargs="?", metavar="设置名", help="要修改的设置")
    p.add_argument("value", nargs="?", metavar="值", help="新的值")
    p.set_defaults(func=cmd_config)


def _print_evidence(rows: list[EvidenceRow]) -> None:
    print_table(["编号", "文件名", "大小", "上传日期", "措施", "说明"],
                [[str(r.id), r.name, size_words(r.size), r.added_on.isoformat(),
                  str(r.measure_id or ""), r.note] for r in rows], [5, 30, 9, 10, 5, 20])


def cmd_attach(args: argparse.Namespace) -> int:
    """Attach files to a problem."""
    from tracker.services import evidence

    ledger = ledger_from(args)
    try:
        rows = evidence.attach_files(ledger, args.problem_id, args.files, args.measure, args.note)
    finally:
        ledger.close()
    print(f"已上传 {len(rows)} 个佐证材料到问题 {args.problem_id}：")
    _print_evidence(rows)
    return 0


def cmd_evidence(args: argparse.Namespace) -> int:
    """List (or export) a problem's evidence."""
    from tracker.services import evidence
    from tracker.services.queries import get_problem

    ledger = ledger_from(args, read_only=args.export is None)
    try:
        get_problem(ledger, args.problem_id)  # an unknown id says so, not an empty list
        rows = evidence.list_evidence(ledger, args.problem_id)
        written = (evidence.export_evidence(ledger, args.problem_id, args.export)
                   if args.export is not None else [])
    finally:
        ledger.close()
    if args.json:
        json.dump([r.as_json() for r in rows], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print(f"问题 {args.problem_id} 还没有佐证材料。")
        return 0
    _print_evidence(rows)
    if written:
        print(f"已导出 {len(written)} 个文件到 {args.export}")
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    """Send a done measure back."""
    from tracker.services import cycle

    ledger = ledger_from(args)
    try:
        row = cycle.send_back(ledger, args.measure_id, args.reason)
    finally:
        ledger.close()
    print(f"已退回措施 {args.measure_id}（问题 {row.id}），状态改为“整改中”。")
    return 0


def cmd_extend(args: argparse.Namespace) -> int:
    """Extend a measure's deadline."""
    from tracker.services import cycle

    on = parse_day(args.date, "--date") if args.date else None
    ledger = ledger_from(args)
    try:
        row = cycle.extend(ledger, args.measure_id, args.to, args.reason, args.approved_by, on)
    finally:
        ledger.close()
    m = next(m for m in row.measures if m.id == args.measure_id)
    print(f"措施 {m.id} 已延期至{m.deadline_text}（原定{m.original_deadline_text or '未明确时限'}）。"
          if m.original_deadline_text else f"措施 {m.id} 已延期至{m.deadline_text}。")
    return 0


def cmd_recheck(args: argparse.Namespace) -> int:
    """Record a 回头看."""
    from tracker.services import cycle

    on = parse_day(args.date, "--date") if args.date else None
    ledger = ledger_from(args)
    try:
        row = cycle.recheck(ledger, args.problem_id, args.result == "合格", args.note, on)
    finally:
        ledger.close()
    if args.result == "合格":
        print(f"已记录问题 {row.id} 的回头看：合格。")
    else:
        print(f"已记录问题 {row.id} 的回头看：不合格，问题已重新打开（{row.status.label}）。")
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    """Show or change the ledger's close-out rules."""
    from tracker.services.closeout_settings import closeout_settings, set_closeout_setting

    if args.key is not None and args.value is None:
        from tracker.errors import ValidationError

        raise ValidationError(f"请给出“{args.key}”的新值，例如：rectify config {args.key} 否")
    ledger = ledger_from(args, read_only=args.key is None)
    try:
        current = (set_closeout_setting(ledger, args.key, args.value) if args.key is not None
                   else closeout_settings(ledger))
    finally:
        ledger.close()
    values = {"needs_evidence": "是" if current.needs_evidence else "否",
              "recheck_months": str(current.recheck_months),
              "evidence_limit_mb": str(current.evidence_limit_mb)}
    print_table(["设置名", "含义", "值"],
                [[k, label, values[attr]] for k, (attr, label) in KEYS.items()], [24, 22, 6])
    return 0


def cmd_closeout_form(args: argparse.Namespace) -> int:
    """Write 销号单 pages."""
    from tracker.excel.closeout_form import export_closeout_forms  # openpyxl only when asked
    from tracker.excel.export_options import ExportOptions

    ledger = ledger_from(args, read_only=True)
    try:
        n = export_closeout_forms(ledger, args.ids, args.out, ExportOptions(org=args.org))
    finally:
        ledger.close()
    print(f"已生成 {n} 张整改销号单：{args.out}")
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    """Write 一问题一档案."""
    from tracker.excel.archive import write_archive  # openpyxl only when asked

    ledger = ledger_from(args, read_only=True)
    try:
        result = write_archive(ledger, filter_from(args, ledger), args.out)
    finally:
        ledger.close()
    print(f"已导出 {result.problems} 个问题的档案（佐证材料 {result.files} 个）：{result.path}")
    return 0
