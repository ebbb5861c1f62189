"""`rectify history | update | backup | restore`: who changed what, scripted edits, and copies."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tracker.cli.common import parse_day, parse_status, print_table
from tracker.db.backup import backup_now, backup_to, list_backups
from tracker.db.engine import default_ledger_path, open_ledger
from tracker.db.restore import restore
from tracker.errors import NotFoundError, ValidationError
from tracker.services.history import ChangeRow, list_history
from tracker.services.measures import update_measure


def register(sub: Any) -> None:
    """Add this module's subcommands."""
    p = sub.add_parser("history", help="查看修改记录（谁在何时把什么从什么改成什么）")
    p.add_argument("--problem", type=int, metavar="ID", help="只看某个问题（编号）的记录")
    p.add_argument("--limit", type=int, metavar="N", help="只显示最近 N 条")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("update", help="修改一项整改措施的状态、时限或添加进展（供脚本使用）")
    p.add_argument("measure_id", type=int, metavar="MEASURE_ID", help="措施编号")
    p.add_argument("--status", help="状态：未启动/整改中/已完成/已销号/长期坚持")
    p.add_argument("--progress", metavar="TEXT", help="添加一条整改进展")
    p.add_argument("--deadline", metavar="TEXT", help="整改时限，如 2026年12月底前、长期坚持")
    p.add_argument("--date", metavar="DATE", help="进展或完成的日期（默认今天）")
    p.add_argument("--user", metavar="NAME", help="记入修改记录的姓名（默认系统用户名）")
    p.set_defaults(func=cmd_update)

    p = sub.add_parser("backup", help="备份台账（通过 SQLite 在线备份，可在使用中进行）")
    p.add_argument("file", nargs="?", type=Path, metavar="FILE",
                   help="备份到此文件（默认：台账旁的 backups 文件夹）")
    p.add_argument("--list", action="store_true", help="列出 backups 文件夹中已有的备份")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="用备份文件替换台账内容（先检查备份，并保留替换前的台账）")
    p.add_argument("file", type=Path, metavar="FILE", help="备份文件")
    p.add_argument("--user", metavar="NAME", help="记入修改记录的姓名（默认系统用户名）")
    p.set_defaults(func=cmd_restore)


def _ledger_path(args: argparse.Namespace) -> Path:
    db = getattr(args, "db", None)
    return (Path(db).expanduser() if db else default_ledger_path()).absolute()


def change_json(c: ChangeRow) -> dict[str, object]:
    """The --json shape of one recorded change."""
    return {
        "id": c.id, "at": c.at.isoformat(sep=" "), "user": c.user, "entity": c.entity,
        "entity_id": c.entity_id, "problem_id": c.problem_id, "action": c.action,
        "field": c.field, "old": c.old, "new": c.new, "old_text": c.old_text or c.old,
        "new_text": c.new_text or c.new, "description": c.description,
    }


def cmd_history(args: argparse.Namespace) -> int:
    """Print recorded changes, newest first."""
    if args.limit is not None and args.limit < 1:
        raise ValidationError("--limit 应为正整数。")
    ledger = open_ledger(getattr(args, "db", None), read_only=True)
    try:
        rows = list_history(ledger, args.problem, args.limit)
    finally:
        ledger.close()
    if args.json:
        json.dump([change_json(c) for c in rows], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print_table(["时间", "用户", "修改内容"],
                [[c.at.strftime("%Y-%m-%d %H:%M"), c.user, c.description] for c in rows],
                [16, 10, 80])
    where = f"问题 {args.problem} 的" if args.problem is not None else ""
    print(f"共 {len(rows)} 条{where}修改记录")
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    """Change one measure through the same service the window uses; recorded in the history."""
    if args.status is None and args.progress is None and args.deadline is None:
        raise ValidationError("请至少给出 --status、--progress 或 --deadline 中的一项。")
    if args.progress is not None and not args.progress.strip():
        raise ValidationError("--progress 的内容不能为空。")
    status = parse_status(args.status) if args.status is not None else None
    day = parse_day(args.date, "--date") if args.date else None
    ledger = open_ledger(getattr(args, "db", None), user=args.user or None)
    try:
        row = update_measure(ledger, args.measure_id, status=status, deadline_text=args.deadline,
                             progress=args.progress, progress_on=day, done_on=day)
    finally:
        ledger.close()
    measure = next((m for m in row.measures if m.id == args.measure_id), None)
    if measure is None:  # the service returned its problem, so the measure must be in it
        raise NotFoundError(f"整改措施（编号 {args.measure_id}）不存在。")
    deadline = measure.deadline_text or "未填写"
    if measure.deadline is not None:
        deadline += f"（{measure.deadline.isoformat()}）"
    print(f"已更新措施 {measure.id}（问题 {row.id}，序号 {row.seq}）：状态 {measure.status.label}，"
          f"整改时限 {deadline}")
    if args.progress is not None:
        print(f"已添加进展：{measure.latest_progress}")
    print(f"问题状态：{row.status.label}（{row.measures_done}/{row.measures_total} 项措施完成）")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Back the ledger up (into FILE, or the backups folder), or list the backups."""
    if args.list:
        backups = list_backups(_ledger_path(args))
        print_table(["备份时间", "类型", "大小", "文件"],
                    [[b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), b.kind, b.size_text, str(b.path)]
                     for b in backups], [19, 6, 9, 60])
        print(f"共 {len(backups)} 份备份")
        return 0
    ledger_path = _ledger_path(args)
    if args.file is not None:
        dest = args.file.expanduser().absolute()
        if dest.exists() and ledger_path.exists() and dest.samefile(ledger_path):
            raise ValidationError("备份文件不能是台账文件本身。")
        if dest.is_dir() or str(args.file).endswith(("/", "\\")):
            raise ValidationError(f"“{dest}”是文件夹，请给出备份文件名。")
        if dest.exists():
            raise ValidationError(f"“{dest}”已存在。为免覆盖，请换一个文件名。")
    # Read-only and unmigrated: a backup copies the file as it is and changes nothing.
    ledger = open_ledger(ledger_path, read_only=True, migrate=False, auto_backup=False)
    try:
        if args.file is None:
            info = backup_now(ledger)
            path, size = info.path, info.size_text
        else:
            path = backup_to(ledger, dest)
            size = f"{max(1, round(path.stat().st_size / 1024))} KB"
    finally:
        ledger.close()
    print(f"已备份到 {path}（{size}）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the ledger with a checked backup; the replaced ledger is kept in backups/."""
    result = restore(_ledger_path(args), args.file.expanduser(), user=args.user or "")
    print(f"已用“{result.backup_file}”恢复台账 {result.ledger_path}（数据版本 {result.revision}）。")
    if result.safety_copy is not None:
        print(f"恢复前的台账已保存为 {result.safety_copy}")
    return 0
