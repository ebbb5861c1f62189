"""`rectify history | update | backup | restore`: who changed what, scripted edits, and copies."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.cli.common import (STATUS_HELP, dump_json, ledger_from, ledger_path, ledger_target,
                                notice, parse_day,
                                parse_status, print_table)
from tracker.cli.parser import INT, Subcommands
from tracker.cli.console import CliProgress
from tracker.domain import Status
from tracker.errors import NotFoundError, ReadOnlyError, ValidationError

if TYPE_CHECKING:
    from tracker.services.history import ChangeRow


def register(sub: Subcommands) -> None:
    """Add this module's subcommands."""
    p = sub.add("history", help="查看修改记录（谁在何时把什么从什么改成什么）",
                description="按时间倒序列出修改记录：时间、用户、所属问题（编号和存在问题的开头）和修改内容。"
                "--problem 只看一个问题的记录。",
                example="rectify history --problem 12 --limit 20")
    p.add_argument("--problem", type=INT, metavar="问题编号", help="只看某个问题的记录（编号见 rectify list）")
    p.add_argument("--limit", type=INT, metavar="条数", help="只显示最近若干条")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_history)

    p = sub.add("update", help="修改一项整改措施的状态、时限或添加进展（供脚本使用）",
                description="修改一项整改措施：状态、整改时限，或添加一条进展，与窗口中的修改一样记入修改"
                "记录。措施编号见 rectify show 问题编号。销号请用 rectify close。",
                example="rectify update 45 --status 已完成 --progress 已完成整改 --date 2026-11-20")
    p.add_argument("measure_id", type=INT, metavar="措施编号", help="措施编号（见 rectify show）")
    p.add_argument("--status", metavar="状态", help=STATUS_HELP)
    p.add_argument("--progress", metavar="内容", help="添加一条整改进展")
    p.add_argument("--deadline", metavar="时限", help="整改时限，如 2026年12月底前、长期坚持、立行立改")
    p.add_argument("--date", metavar="日期", help="进展或完成的日期（默认今天）")
    p.add_argument("--user", metavar="姓名", help="记入修改记录的姓名（默认系统用户名）")
    p.set_defaults(func=cmd_update)

    p = sub.add("backup", help="备份台账（通过 SQLite 在线备份，可在使用中进行）",
                description="把台账备份到指定文件，或台账旁的 backups 文件夹；台账正在窗口中使用时也可以"
                "备份。--list 列出已有的备份。",
                example="rectify backup D:/备份/台账-1123.sqlite")
    p.add_argument("file", nargs="?", type=Path, metavar="文件",
                   help="备份到此文件（默认：台账旁的 backups 文件夹）")
    p.add_argument("--list", action="store_true", help="列出 backups 文件夹中已有的备份")
    p.set_defaults(func=cmd_backup)

    p = sub.add("restore", help="用备份文件替换台账内容（先检查备份，并保留替换前的台账）",
                description="先检查备份文件是否完好，再用它替换台账内容；替换前的台账保存在 backups 文件夹。"
                "台账文件不存在时新建（所在文件夹须已存在）。台账只读时拒绝，不留下任何文件。",
                example="rectify restore backups/ledger-20261120.sqlite")
    p.add_argument("file", type=Path, metavar="文件", help="备份文件")
    p.add_argument("--user", metavar="姓名", help="记入修改记录的姓名（默认系统用户名）")
    p.set_defaults(func=cmd_restore)


def _ledger_path(args: argparse.Namespace) -> Path:
    return ledger_path(args)


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
    from tracker.services.history import list_history
    from tracker.services.lookup import problem_titles

    if args.limit is not None and args.limit < 1:
        raise ValidationError("--limit 应为正整数。")
    ledger = ledger_from(args, read_only=True)
    try:
        rows = list_history(ledger, args.problem, args.limit)
        titles = problem_titles(ledger, (c.problem_id for c in rows if c.problem_id))
    finally:
        ledger.close()
    if args.json:
        dump_json([change_json(c) for c in rows])
        return 0
    print_table(["时间", "用户", "问题", "修改内容"],
                [[c.at.strftime("%Y-%m-%d %H:%M"), c.user, _problem_words(c, titles),
                  c.description] for c in rows],
                [16, 10, 30, 80])
    where = f"问题 {args.problem} 的" if args.problem is not None else ""
    print(f"共 {len(rows)} 条{where}修改记录")
    return 0


def _problem_words(c: ChangeRow, titles: dict[int, tuple[int, str]]) -> str:
    """编号 and the first words of the problem a change belongs to (— for a source or unit)."""
    if c.problem_id is None:
        return "—"
    if c.problem_id not in titles:
        return f"{c.problem_id} （已删除）"
    text = " ".join(titles[c.problem_id][1].split())
    return f"{c.problem_id} {text[:10]}{'…' if len(text) > 10 else ''}"


def cmd_update(args: argparse.Namespace) -> int:
    """Change one measure through the same service the window uses; recorded in the history."""
    from tracker.services.measures import update_measure

    if args.status is None and args.progress is None and args.deadline is None:
        raise ValidationError("请至少给出 --status、--progress 或 --deadline 中的一项。")
    if args.progress is not None and not args.progress.strip():
        raise ValidationError("--progress 的内容不能为空。")
    status = parse_status(args.status) if args.status is not None else None
    if status is Status.CLOSED:  # the service says 用“销号”; here the command is named
        raise ValidationError("“已销号”需经核验后办理：请先把措施标为“已完成”，再用 rectify close 问题编号 "
                              "--verifier 姓名 销号（问题编号见 rectify show 或 rectify list）。")
    day = parse_day(args.date, "--date") if args.date is not None else None
    ledger = ledger_from(args, user=args.user or None)
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
    from tracker.db.backup import backup_now, backup_to, list_backups
    from tracker.db.engine import open_ledger

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
        if not dest.parent.is_dir():
            raise NotFoundError(f"文件夹“{dest.parent}”不存在，无法备份到那里。请先建好文件夹或换一个位置。")
    # Read-only and unmigrated: a backup copies the file as it is and changes nothing.
    ledger = open_ledger(ledger_target(args), read_only=True, migrate=False, auto_backup=False)
    try:
        with CliProgress("正在备份台账") as progress:
            progress(0, 0)
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
    from tracker.db.restore import restore

    target = _ledger_path(args)
    backup = args.file.expanduser()
    if backup.is_dir():
        raise ValidationError(f"“{backup}”是一个文件夹。请给出备份文件的路径（rectify backup --list 可列出）。")
    if not backup.is_file():
        raise NotFoundError(f"找不到备份文件“{backup}”。请检查路径（rectify backup --list 可列出已有备份）。")
    if target.is_dir():
        raise ValidationError(f"“{target}”是一个文件夹，不是台账文件。请在 --db 后给出台账文件名。")
    new = not target.exists()
    if new and not target.parent.is_dir():
        raise NotFoundError(f"文件夹“{target.parent}”不存在，无法在那里新建台账。请先建好文件夹。")
    # Refused before anything is copied: a read-only ledger would otherwise leave a 恢复前
    # copy behind although nothing was restored.
    if not new and not (os.access(target, os.W_OK) and os.access(target.parent, os.W_OK)):
        raise ReadOnlyError(f"台账文件“{target}”或其所在文件夹是只读的，不能恢复。没有做任何修改。"
                            "请检查文件权限后重试。")
    with CliProgress("正在恢复台账") as progress:
        progress(0, 0)
        result = restore(target, backup, user=args.user or "")
    if new:
        notice(f"已新建台账 {result.ledger_path}")
    print(f"已用“{result.backup_file}”恢复台账 {result.ledger_path}（数据版本 {result.revision}）。")
    if result.safety_copy is not None:
        print(f"恢复前的台账已保存为 {result.safety_copy}")
    return 0
