"""argparse front door: parse, open the ledger, run one subcommand, print, exit."""

from __future__ import annotations

import argparse
import atexit
import gc
import sys
from collections.abc import Sequence

# Imported statically (a packager must see them); each keeps its heavy imports (openpyxl, the
# report parser, the demo generator) inside its command functions, so start-up stays fast.
from tracker.cli import (
    closeout_cmds,
    copy_cmds,
    export_cmds,
    import_cmds,
    ledger_cmds,
    lookup_cmds,
    report_cmds,
    safety_cmds,
    writeup_cmds,
)
from tracker.cli.console import os_error_text, setup_streams
from tracker.cli.parser import (
    EXIT_USAGE,
    PROG,
    ChineseArgumentParser,
    Subcommands,
    add_global_options,
)
from tracker.errors import TrackerError
from tracker.logs import (log_exception, log_known_error, logger, setup_logging,
                          unexpected_error_text)

# Each module adds its subcommands with register(subparsers); order = order in --help.
COMMAND_MODULES = [ledger_cmds, lookup_cmds, safety_cmds, closeout_cmds, import_cmds, report_cmds,
                   export_cmds, writeup_cmds, copy_cmds]

EXIT_OK, EXIT_ERROR = 0, 1
__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

DESCRIPTION = """整改台账：督导反馈问题整改的登记、跟踪、统计与导出。不带子命令时打开窗口。

--db 和 --version 可以写在子命令前面，也可以写在后面。退出码：0 成功，1 出错或检查发现问题，
2 参数用法错误。

示例：
  rectify --db 台账.sqlite list --overdue
  rectify show 12
  rectify close 12 --verifier 张三"""



def build_parser() -> argparse.ArgumentParser:
    """The parser with every registered subcommand."""
    setup_streams()
    parser = ChineseArgumentParser(prog=PROG, description=DESCRIPTION)
    add_global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="子命令", title="子命令",
                                parser_class=ChineseArgumentParser)
    commands = Subcommands(sub)
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit code; expected errors print one Chinese line,
    unexpected ones one Chinese sentence naming the log file that holds their traceback."""
    setup_streams()
    setup_logging("cli")
    _skip_final_collection()
    try:
        return _run(argv)
    except SystemExit as exc:  # -h, --version (0) and usage errors (2, already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
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
        _say(os_error_text(exc))
        return EXIT_ERROR
    except Exception as exc:  # a bug: the clerk gets a sentence, the log gets the traceback
        log_exception("意外错误", exc)
        _say(unexpected_error_text(exc))
        return EXIT_ERROR


def _skip_final_collection() -> None:
    """At exit, set every live object aside from the interpreter's last garbage collections:
    with SQLAlchemy loaded (and a 100,000-row list just printed) they walk hundreds of
    thousands of objects only to free memory the OS takes back anyway, a seventh of
    `rectify list`'s time. Files and ledgers are closed by the commands themselves, and
    atexit runs this before logging's own flush. Registered once per process (the tests run
    many commands in one)."""
    global _EXIT_HOOKED
    if not _EXIT_HOOKED:
        atexit.register(gc.freeze)
        _EXIT_HOOKED = True


_EXIT_HOOKED = False


def _run(argv: Sequence[str] | None) -> int:
    """Parse the arguments and run the chosen subcommand; errors are main()'s to word."""
    parser = build_parser()
    args = parser.parse_args(argv)  # -h, --version and usage errors raise SystemExit
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    logger.info("rectify %s", " ".join(sys.argv[1:] if argv is None else argv))
    return int(args.func(args) or EXIT_OK)


def _say(text: str) -> None:
    """One line to stderr, prefixed like every message of the command."""
    try:
        print(f"{PROG}: {text}", file=sys.stderr)
    except (OSError, ValueError):  # stderr closed or gone (pythonw, a dead pipe): nothing to do
        pass


if __name__ == "__main__":
    sys.exit(main())
