"""`rectify copy SOURCE DEST`: move a whole ledger between a file and a PostgreSQL server
(either way, evidence and history included) and prove the copy matches."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.cli.common import notice
from tracker.cli.console import CliProgress
from tracker.cli.parser import Subcommands
from tracker.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from tracker.db.engine import Ledger


def register(sub: Subcommands) -> None:
    """Add this module's subcommands."""
    p = sub.add("copy", help="把整本台账复制到另一个位置（台账文件 ↔ 服务器台账）并核对",
                description="把整本台账（问题、措施、进展、佐证材料和修改记录）复制到新的台账文件或服务器上"
                "的空数据库，复制后逐表核对行数和每一行的哈希值，并运行完整性检查。"
                "目标须是不存在的文件或空数据库，不会覆盖已有台账。",
                example="rectify copy 台账.sqlite postgresql://zhang@192.168.1.10:5432/rectify")
    p.add_argument("source", metavar="来源", help="台账文件或 postgresql://用户@服务器:端口/数据库")
    p.add_argument("dest", metavar="目标", help="新的台账文件或 postgresql://… 空数据库")
    p.add_argument("--user", metavar="姓名", help="记入修改记录的姓名（默认系统用户名）")
    p.set_defaults(func=cmd_copy)


def _open_source(text: str, user: str | None) -> Ledger:
    from tracker.db import server
    from tracker.db.engine import open_ledger

    if server.is_server_url(text):
        return open_ledger(text, read_only=True, user=user)
    path = Path(text).expanduser().absolute()
    if not path.is_file():
        raise NotFoundError(f"找不到台账文件“{path}”。")
    return open_ledger(path, read_only=True, user=user, auto_backup=False)


def _file_dest(text: str) -> Path:
    path = Path(text).expanduser().absolute()
    if path.exists():
        raise ValidationError(f"“{path}”已存在。为免覆盖，请给出一个新的文件名。")
    if not path.parent.is_dir():
        raise NotFoundError(f"文件夹“{path.parent}”不存在，无法在那里新建台账。")
    return path


def cmd_copy(args: argparse.Namespace) -> int:
    """Copy SOURCE into DEST, verify counts and row hashes, then run `check` on the copy."""
    from tracker.db import server
    from tracker.db.backup import server_to_file
    from tracker.db.copy import copy_ledger, digest
    from tracker.db.engine import open_ledger
    from tracker.integrity import check_ledger

    dest_is_server = server.is_server_url(args.dest)
    dest_path = None if dest_is_server else _file_dest(args.dest)
    source = _open_source(args.source, args.user)
    try:
        with CliProgress("正在复制台账") as progress:
            progress(0, 0)
            if dest_path is not None:
                server_to_file(source, dest_path)  # written beside, renamed when verified
                dest = open_ledger(dest_path, user=args.user, auto_backup=False)
            else:
                dest = open_ledger(args.dest, user=args.user)
            try:
                if dest_path is None:
                    result_tables = copy_ledger(source, dest).tables
                else:
                    result_tables = digest(dest)
                report = check_ledger(dest)
                label = dest.label
            finally:
                dest.close()
    finally:
        source.close()
    counts = {t.table: t.rows for t in result_tables}
    print(f"已复制到 {label}：问题 {counts.get('problem', 0)} 个，措施 {counts.get('measure', 0)} 项，"
          f"佐证材料 {counts.get('evidence', 0)} 份，修改记录 {counts.get('change_log', 0)} 条；"
          f"共 {sum(counts.values())} 行，逐表行数与哈希值均与原台账一致。")
    for line in report.lines():
        print(line)
    if not report.ok:
        notice("副本的完整性检查没有通过，请不要使用这份副本。")
    return 0 if report.ok else 1
