"""argparse front door: parse, open the ledger, run one subcommand, print, exit."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from tracker.errors import TrackerError

# Each module adds its subcommands with register(subparsers); order = order in --help.
COMMAND_MODULES = [
    "tracker.cli.ledger_cmds",
    "tracker.cli.safety_cmds",
    "tracker.cli.import_cmds",
    "tracker.cli.report_cmds",
    "tracker.cli.export_cmds",
]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


_HEADINGS = (("usage:", "用法："), ("positional arguments:", "位置参数："),
             ("options:", "选项："), ("show this help message and exit", "显示本帮助并退出"))


def _chinese(text: str) -> str:
    for english, chinese in _HEADINGS:
        text = text.replace(english, chinese)
    return text


class ChineseArgumentParser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors are one Chinese line, not an English paragraph."""

    def format_help(self) -> str:
        """argparse's help with its few English headings in Chinese."""
        return _chinese(super().format_help())

    def format_usage(self) -> str:
        """argparse's usage line in Chinese."""
        return _chinese(super().format_usage())

    def error(self, message: str) -> NoReturn:
        """Print the error in Chinese and exit 2."""
        translated = (message.replace("the following arguments are required", "缺少必填参数")
                      .replace("unrecognized arguments", "无法识别的参数")
                      .replace("invalid choice", "无效的选项")
                      .replace("argument ", "参数 ")
                      .replace("expected one argument", "需要一个值"))
        self.exit(EXIT_USAGE, f"rectify: 参数错误：{translated}（用 rectify -h 查看用法）\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser with every registered subcommand."""
    parser = ChineseArgumentParser(
        prog="rectify",
        description="整改台账：督导反馈问题整改的登记、跟踪、统计与导出。不带子命令时打开窗口。",
    )
    parser.add_argument("--db", metavar="PATH", help="台账文件（默认：RECTIFY_DB 环境变量，或用户数据目录）")
    sub = parser.add_subparsers(dest="command", metavar="子命令", parser_class=ChineseArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit code; expected errors print one Chinese line."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or EXIT_OK)
    except TrackerError as exc:
        full = getattr(exc, "full_text", None)
        print(f"rectify: {full() if callable(full) else exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("rectify: 已中断，未完成的操作没有保存。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        print(f"rectify: 文件操作失败：{exc.filename or ''} {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
