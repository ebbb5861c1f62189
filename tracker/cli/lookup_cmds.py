"""`rectify show | close | units | sources | categories`: every id a script needs, without
--json, and the close-out (销号) the window does."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from tracker import clock
from tracker.cli.common import dump_json, ledger_from, parse_day, print_table, width
from tracker.cli.ledger_cmds import JsonExtras, problem_json
from tracker.cli.parser import INT, Subcommands
from tracker.domain import MeasureRow, ProblemRow
from tracker.errors import ValidationError

if TYPE_CHECKING:
    from tracker.services.lookup import NamedCount


def register(sub: Subcommands) -> None:
    """Add this module's subcommands."""
    p = sub.add("show", help="显示一个问题的全部内容（含措施编号）",
                description="显示一个问题：编号、序号、完整的问题来源、类别、存在问题、整改目标、单位和"
                "责任人，每项整改措施的编号（供 update 使用）、状态、时限和全部进展，以及销号情况。"
                "--json 输出与 list --json 中一个元素相同的对象。",
                example="rectify show 12")
    p.add_argument("problem_id", type=INT, metavar="问题编号", help="问题编号（见 rectify list）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_show)

    p = sub.add("close", help="销号：核验后关闭一个问题",
                description="为一个问题销号：记录核验人、销号日期和说明，所有措施标为“已销号”，与窗口中的"
                "销号使用同一规则。还有措施未完成（未启动或整改中）时拒绝销号并说明原因。",
                example="rectify close 12 --verifier 张三 --date 2026-11-23 --note 现场核验")
    p.add_argument("problem_id", type=INT, metavar="问题编号", help="问题编号（见 rectify list）")
    p.add_argument("--verifier", required=True, metavar="姓名", help="核验人（必填）")
    p.add_argument("--date", metavar="日期", help="销号日期（默认今天，不能晚于今天）")
    p.add_argument("--note", default="", metavar="说明", help="销号说明")
    p.add_argument("--user", metavar="姓名", help="记入修改记录的姓名（默认系统用户名）")
    p.set_defaults(func=cmd_close)

    for name, what, example in (("units", "单位", "rectify units"),
                                ("sources", "问题来源", "rectify sources --json"),
                                ("categories", "问题类别", "rectify categories")):
        p = sub.add(name, help=f"列出{what}（编号、名称、问题数）",
                    description=f"列出台账中的全部{what}及其编号和问题数。其他命令的 --unit、--source "
                    "接受这里显示的名称（来源也可用编号），名称前后的空格和全角/半角差别不影响匹配。",
                    example=example)
        p.add_argument("--json", action="store_true", help="输出 JSON")
        p.set_defaults(func=cmd_names, names=name)


def cmd_show(args: argparse.Namespace) -> int:
    """Print one problem with its measures, progress notes and close-out."""
    from tracker.services.queries import get_problem
    from tracker.services.reference import list_sources

    ledger = ledger_from(args, read_only=True)
    try:
        p = get_problem(ledger, args.problem_id)
        source = next((s for s in list_sources(ledger) if s.id == p.source_id), None)
        extras = JsonExtras.read(ledger, [p])
    finally:
        ledger.close()
    today = clock.today()
    if args.json:
        dump_json(problem_json(p, today, extras))
        return 0
    write = sys.stdout.write
    write(f"问题编号：{p.id}（序号 {p.seq}）\n")
    if source is not None:
        facts = "，".join(x for x in (f"编号 {source.id}", f"{source.year}年" if source.year else "",
                                     source.kind.label, source.doc_number, source.issuer) if x)
        write(f"问题来源：{source.display}（{facts}）\n")
    for label, value in (("问题类别", p.category), ("存在问题", p.description),
                         ("整改目标", p.goal), ("牵头单位", p.lead_unit), ("配合单位", p.co_units),
                         ("责任领导", p.leader), ("责任人", p.owner), ("备注", p.remarks)):
        if value:
            write(f"{label}：{value}\n")
    late = "，已逾期" if p.is_overdue(today) else ""
    write(f"状态：{p.status.label}（{p.measures_done}/{p.measures_total} 项措施完成）{late}\n")
    write(f"整改时限：{_deadline(p.deadline_text, p.deadline)}\n")
    write(f"整改措施：{'无' if not p.measures else ''}\n")
    for m in p.measures:
        _write_measure(m, today)
    if p.closeout_on is not None or p.closeout_by:
        day = p.closeout_on.isoformat() if p.closeout_on else "未填写"
        note = f"，说明：{p.closeout_note}" if p.closeout_note else ""
        write(f"销号：核验人 {p.closeout_by or '未填写'}，日期 {day}{note}\n")
    else:
        write("销号：未销号\n")
    return 0


def _deadline(text: str, day: Any) -> str:
    words = text or "未填写"
    return f"{words}（{day.isoformat()}）" if day is not None and day.isoformat() not in words \
        else words


def _write_measure(m: MeasureRow, today: Any) -> None:
    write = sys.stdout.write
    write(f"  措施编号 {m.id}：{m.text}\n")
    late = "（逾期）" if m.is_overdue(today) else ""
    facts = [f"状态 {m.status.label}{late}", f"整改时限 {_deadline(m.deadline_text, m.deadline)}"]
    if m.lead_unit:
        facts.append(f"牵头单位 {m.lead_unit}")
    if m.co_units:
        facts.append(f"配合单位 {m.co_units}")
    if m.owner:
        facts.append(f"责任人 {m.owner}")
    if m.done_on:
        facts.append(f"完成日期 {m.done_on.isoformat()}")
    write(f"    {'；'.join(facts)}\n")
    for note in m.notes:
        write(f"    进展 {note.noted_on.isoformat()}：{note.text}\n")


def cmd_close(args: argparse.Namespace) -> int:
    """Close one problem out through the window's service (rules.closeout_refusal decides)."""
    from tracker.services.problems import close_out

    if not args.verifier.strip():
        raise ValidationError("--verifier 不能为空：销号需要填写核验人。")
    day = parse_day(args.date, "--date") if args.date is not None else clock.today()
    ledger = ledger_from(args, user=args.user or None)
    try:
        row: ProblemRow = close_out(ledger, args.problem_id, args.verifier.strip(), day,
                                    args.note)
    finally:
        ledger.close()
    print(f"已销号：问题 {row.id}（序号 {row.seq}），核验人 {row.closeout_by}，"
          f"销号日期 {day.isoformat()}，{row.measures_total} 项措施已标为“已销号”。")
    return 0


def cmd_names(args: argparse.Namespace) -> int:
    """List units, sources or categories with their ids and problem counts."""
    from tracker.services.lookup import category_counts, unit_counts
    from tracker.services.reference import list_sources

    ledger = ledger_from(args, read_only=True)
    try:
        if args.names == "sources":
            sources = list_sources(ledger)
        else:
            rows = unit_counts(ledger) if args.names == "units" else category_counts(ledger)
    finally:
        ledger.close()
    if args.names == "sources":
        if args.json:
            dump_json([{"id": s.id, "name": s.display, "title": s.title, "kind": s.kind.value,
                    "year": s.year, "issuer": s.issuer, "doc_number": s.doc_number,
                    "problems": s.problem_count} for s in sources])
            return 0
        widest = max([width(s.display) for s in sources] + [8])
        kinds = max([width(s.kind.label) for s in sources] + [4])
        numbers = max([width(s.doc_number) for s in sources] + [4])
        print_table(["编号", "问题来源", "年份", "类型", "文号", "问题数"],
                    [[str(s.id), s.display, str(s.year or ""), s.kind.label, s.doc_number,
                      str(s.problem_count)] for s in sources], [6, widest, 4, kinds, numbers, 6])
        print(f"共 {len(sources)} 个问题来源")
        return 0
    return _print_counts(rows, "单位" if args.names == "units" else "问题类别", args.json)


def _print_counts(rows: list[NamedCount], what: str, as_json: bool) -> int:
    if as_json:
        dump_json([{"id": r.id or None, "name": r.name, "problems": r.problems} for r in rows])
        return 0
    widest = max([width(r.name) for r in rows] + [8])
    print_table(["编号", what, "问题数"], [[str(r.id or "—"), r.name, str(r.problems)] for r in rows],
                [6, widest, 6])
    print(f"共 {len(rows)} 个{what}")
    return 0
