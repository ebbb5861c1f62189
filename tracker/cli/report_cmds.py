"""`rectify import-report FILE`: the problems (and measures) a self-evaluation report or a
feedback letter lists, previewed or added under a new source named from the document.

Measures the report gives but that could not be paired with a problem are listed and NOT
imported: a measure must belong to a problem, and guessing which one is the clerk's call
(the window, 文件 > 从报告导入问题…, lets them assign each one)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tracker.cli.common import dump_json, ledger_from
from tracker.cli.parser import INT, Subcommands
from tracker.cli.console import CliProgress
from tracker.domain import ProblemRow, SourceInput, Status
from tracker.errors import ValidationError

if TYPE_CHECKING:
    from tracker.db.engine import Ledger
    from tracker.report import ExtractedReport

GUI_HINT = "文件 > 从报告导入问题…"


def register(sub: Subcommands) -> None:
    """Add the import-report subcommand."""
    p = sub.add(
        "import-report",
        help="从自评报告或督导反馈意见中识别问题和整改措施并导入",
        description="识别报告（.txt 或 .docx）中的存在问题及其整改措施，导入到一个以报告命名的新问题来源下。"
        "未能对应到问题的措施只列出、不导入，请在窗口中分配（" + GUI_HINT + "）。"
        "台账文件不存在时新建（所在文件夹须已存在）。",
        example="rectify import-report 2025年督导反馈意见.docx --dry-run",
    )
    p.add_argument("file", metavar="文件", help="报告文件：.txt（UTF-8 或 GBK）或 .docx")
    p.add_argument("--source", metavar="来源", help="问题来源名称（默认：报告标题，没有标题时用文件名）")
    p.add_argument("--year", type=INT, metavar="年份", help="年份（默认：报告所评价的年份）")
    p.add_argument("--dry-run", action="store_true", help="只列出识别结果，不写入台账")
    p.add_argument("--json", action="store_true", help="以 JSON 输出识别结果（导入时另含新建的编号）")
    p.set_defaults(func=cmd_import_report)


def cmd_import_report(args: argparse.Namespace) -> int:
    """Read and parse the report; print it (dry run) or import its problems in one transaction."""
    if args.year is not None and not 1900 <= args.year <= 2100:
        raise ValidationError(f"年份“{args.year}”不对，请写四位数的年份，如 2021。")
    # The parser loads only when the command runs: every other subcommand starts faster.
    from tracker.report import parse_report_text, read_report_file, report_to_json
    from tracker.report.import_inputs import problem_inputs, source_input
    from tracker.services.problems import create_problems

    with CliProgress("正在识别报告") as progress:
        progress(0, 0)
        report = parse_report_text(read_report_file(args.file))
    source = source_input(report, title=args.source or "", year=args.year,
                          fallback_title=Path(args.file).stem)
    data = report_to_json(report)
    data["source"] = {"title": source.title, "kind": source.kind.value, "year": source.year,
                      "doc_number": source.doc_number}
    if args.dry_run or not report.problems:
        # Nothing to write: a preview, or a document without a problem list (not an error).
        if args.json:
            _print_json(data)
        else:
            _print_report(report, source, sys.stdout)
            if args.dry_run:
                print("（--dry-run：未写入台账）")
        return 0
    inputs = problem_inputs(report.problems)  # refuses before the ledger is even opened
    ledger = ledger_from(args, creates=True)
    try:
        _refuse_duplicate(ledger, source)
        with CliProgress("正在导入") as progress:
            progress(0, 0)
            rows = create_problems(ledger, inputs, source)
    finally:
        ledger.close()
    if args.json:
        _print_json(_with_ids(data, rows))
        if report.unassigned_measures:
            _print_unassigned(report, sys.stderr)
        return 0
    _print_report(report, source, sys.stdout, imported=True)
    _print_imported(report, source, rows)
    return 0


def _refuse_duplicate(ledger: Ledger, source: SourceInput) -> None:
    """A second run on the same report would add every problem twice: say so instead."""
    from tracker.services.reference import list_sources

    for s in list_sources(ledger):
        if s.title == source.title and s.year == source.year and s.problem_count:
            raise ValidationError(
                f"台账中已有问题来源“{s.title}”（{s.problem_count} 个问题），这份报告可能已经导入过。"
                "没有导入任何内容。如确需再次导入，请用 --source 指定另一个来源名称。"
            )


def _with_ids(data: dict[str, Any], rows: list[ProblemRow]) -> dict[str, Any]:
    """The dry-run JSON plus the ids the import created."""
    out = dict(data)
    out["source_id"] = rows[0].source_id if rows else None
    out["problems"] = [{"id": row.id, **p} for row, p in zip(rows, data["problems"])]
    out["problem_ids"] = [row.id for row in rows]
    return out


def _print_json(data: dict[str, Any]) -> None:
    dump_json(data, indent=2)


def _print_report(report: ExtractedReport, source: SourceInput, out: TextIO,
                  imported: bool = False) -> None:
    """The problems with their measures, in Chinese, as a clerk would check them."""
    if not report.problems:
        out.write(f"{report.message or '没有识别出问题。'}没有写入台账。\n")
        return
    facts = "，".join(x for x in (f"{source.year}年" if source.year else "", source.kind.label,
                                 report.doc_number) if x)
    out.write(f"问题来源：{source.title}（{facts}）\n")
    from tracker.report.import_inputs import totals

    count = totals(report.problems)
    out.write(f"识别出 {count.problems} 个问题、{count.measures} 项整改措施：\n")
    for i, p in enumerate(report.problems, start=1):
        extra = "，".join(x for x in (p.category, _status_word(p.status)) if x)
        mark = "【待核对】" if p.review else ""
        out.write(f"\n{i}. {mark}{p.description}" + (f"（{extra}）" if extra else "") + "\n")
        if not p.measures:
            out.write("   （报告中没有对应的整改措施）\n")
        for j, m in enumerate(p.measures, start=1):
            out.write(f"   措施{j}：{'【待核对】' if m.review else ''}{m.text}{m.facts_note()}\n")
    if report.message:
        out.write(f"\n提示：{report.message}\n")
    if report.unassigned_measures and not imported:
        out.write("\n")
        _print_unassigned(report, out, imported=False)


def _status_word(status: Status) -> str:
    """What the report says of a problem's state: 已完成, 长期坚持, or that work is under way."""
    if status is Status.IN_PROGRESS:
        return "报告中已有整改情况"
    return "" if status is Status.NOT_STARTED else status.label


def _print_unassigned(report: ExtractedReport, out: TextIO, imported: bool = True) -> None:
    n = len(report.unassigned_measures)
    tail = "未导入" if imported else "导入时不会导入"
    out.write(f"以下 {n} 项措施未能对应到问题（{tail}），请在窗口中分配（{GUI_HINT}）：\n")
    for i, text in enumerate(report.unassigned_measures, start=1):
        out.write(f"  {i}. {text}\n")


def _print_imported(report: ExtractedReport, source: SourceInput, rows: list[ProblemRow]) -> None:
    from tracker.report.import_inputs import totals

    count = totals(report.problems)
    source_id = rows[0].source_id if rows else None
    print(f"\n已导入 {count.problems} 个问题、{count.measures} 项整改措施，"
          f"问题来源“{source.title}”（编号 {source_id}）。")
    if report.unassigned_measures:
        print()
        _print_unassigned(report, sys.stdout)
