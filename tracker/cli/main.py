"""argparse front door: parse, open the ledger, run one subcommand, print, exit."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from tracker.errors import TrackerError
from tracker.logs import (log_exception, log_known_error, logger, setup_logging,
                          unexpected_error_text)

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
    """Run one subcommand and return its exit code; expected errors print one Chinese line,
    unexpected ones one Chinese sentence naming the log file that holds their traceback."""
    setup_logging("cli")
    try:
        return _run(argv)
    except TrackerError as exc:
        log_known_error("命令失败", exc)
        full = getattr(exc, "full_text", None)
        _say(full() if callable(full) else exc.message)
        return EXIT_ERROR
    except KeyboardInterrupt:
        logger.info("命令被中断")
        _say("已中断，未完成的操作没有保存。")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        # Usually a file the clerk named, but the traceback tells a bug from a full disk.
        log_exception("文件操作失败", exc)
        _say(f"文件操作失败：{exc.filename or ''} {exc.strerror or exc}")
        return EXIT_ERROR
    except Exception as exc:  # a bug: the clerk gets a sentence, the log gets the traceback
        log_exception("意外错误", exc)
        _say(unexpected_error_text(exc))
        return EXIT_ERROR


def _run(argv: Sequence[str] | None) -> int:
    """Parse the arguments and run the chosen subcommand; errors are main()'s to word."""
    parser = build_parser()
    args = parser.parse_args(argv)  # -h and usage errors leave here by SystemExit
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    logger.info("rectify %s", " ".join(sys.argv[1:] if argv is None else argv))
    return int(args.func(args) or EXIT_OK)


def _say(text: str) -> None:
    """One line to stderr, prefixed like every message of the command."""
    try:
        print(f"rectify: {text}", file=sys.stderr)
    except (OSError, ValueError):  # stderr closed or gone (pythonw, a dead pipe): nothing to do
        pass


if __name__ == "__main__":
    sys.exit(main())
