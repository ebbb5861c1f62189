"""The Chinese argparse: usage errors in one Chinese line, typed values with Chinese messages,
and the global options (--db, --version) accepted before or after the subcommand."""

from __future__ import annotations

import argparse
import re
import textwrap
from collections.abc import Callable
from typing import Any, NoReturn

from tracker import __version__

PROG = "rectify"
EXIT_USAGE = 2

_HEADINGS = (("usage:", "用法："), ("positional arguments:", "位置参数："),
             ("options:", "选项："), ("show this help message and exit", "显示本帮助并退出"),
             ("show program's version number and exit", "显示程序版本并退出"), ("子命令:", "子命令："))

# argparse's own messages (Python 3.11+), as regular expressions over the whole message, and
# the Chinese line each becomes. Anything argparse says that is not listed falls back to a
# generic Chinese sentence: an English fragment must never reach the clerk.
_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (?P<a>.+)", "缺少必填参数 {a}"),
    (r"unrecognized arguments: (?P<a>.+)", "无法识别的参数 {a}"),
    (r"argument (?P<a>\S+): invalid choice: '?(?P<v>.*?)'? \(choose from (?P<c>.*)\)",
     "{a} 不能是“{v}”，可选：{c}"),
    (r"argument (?P<a>\S+): expected one argument", "{a} 后面需要一个值"),
    (r"argument (?P<a>\S+): expected at most one argument", "{a} 后面最多一个值"),
    (r"argument (?P<a>\S+): expected at least one argument", "{a} 后面至少需要一个值"),
    (r"argument (?P<a>\S+): expected (?P<n>\d+) arguments?", "{a} 后面需要 {n} 个值"),
    (r"argument (?P<a>\S+): not allowed with argument (?P<b>\S+)", "{a} 不能和 {b} 同时使用"),
    (r"argument (?P<a>\S+): ignored explicit argument '?(?P<v>.*?)'?", "{a} 不接受值“{v}”"),
    (r"argument (?P<a>\S+): invalid \S+ value: '?(?P<v>.*?)'?", "{a} 的值“{v}”不对"),
    (r"one of the arguments (?P<a>.+) is required", "{a} 中必须给出一个"),
    (r"ambiguous option: (?P<a>\S+) could match (?P<m>.+)", "选项 {a} 不明确，可能是 {m}"),
    # Our own converters word their message already (see ``typed``).
    (r"argument (?P<a>\S+): (?P<m>[^\x00-\x7f].*)", "{a} {m}"),
)


def _chinese(text: str) -> str:
    for english, chinese in _HEADINGS:
        text = text.replace(english, chinese)
    return text


def translate(message: str) -> str:
    """argparse's English error message as one Chinese phrase."""
    message = message.strip()
    for pattern, chinese in _MESSAGES:
        m = re.fullmatch(pattern, message, flags=re.S)
        if m:
            parts = {k: v.replace("'", "") for k, v in m.groupdict().items()}
            if "c" in parts:
                parts["c"] = "、".join(c.strip() for c in parts["c"].split(","))
            return chinese.format(**parts)
    return "参数有误"


class ChineseArgumentParser(argparse.ArgumentParser):
    """ArgumentParser whose help is in Chinese and whose usage errors are one Chinese line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def format_help(self) -> str:
        """argparse's help with its few English headings in Chinese."""
        return _chinese(super().format_help())

    def format_usage(self) -> str:
        """argparse's usage line in Chinese."""
        return _chinese(super().format_usage())

    def error(self, message: str) -> NoReturn:
        """Print the error in Chinese (with where to read the usage) and exit 2."""
        helper = self.prog if self.prog != PROG else PROG
        self.exit(EXIT_USAGE, f"{PROG}: 参数错误：{translate(message)}（用 {helper} -h 查看用法）\n")


def typed(convert: Callable[[str], Any], what: str) -> Callable[[str], Any]:
    """An argparse type whose refusal reads "应为{what}" in Chinese, not "invalid int value"."""
    def parse(text: str) -> Any:
        try:
            return convert(text.strip())
        except (ValueError, TypeError):
            raise argparse.ArgumentTypeError(f"应为{what}，不能是“{text}”") from None
    parse.__name__ = what  # argparse names the type in some messages
    return parse


def _int(text: str) -> int:
    # Full-width digits (１２) arrive from Chinese input methods: int() takes them already.
    return int(text)


INT = typed(_int, "整数")
NUMBER = typed(float, "数字")


def add_global_options(p: argparse.ArgumentParser, top: bool) -> None:
    """--db and --version; on a subcommand they default to SUPPRESS, so that a --db given
    before the subcommand is not overwritten by the subcommand's empty default."""
    default: Any = None if top else argparse.SUPPRESS
    p.add_argument("--db", metavar="台账文件", default=default,
                   help="台账文件（默认：RECTIFY_DB 环境变量，或用户数据目录中的 ledger.sqlite）")
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                   help="显示程序版本并退出")


class Subcommands:
    """Wraps argparse's subparsers: every subcommand gets the global options, its description
    (one paragraph and an example) and the Chinese parser."""

    def __init__(self, sub: Any) -> None:
        self.sub = sub

    def add(self, name: str, help: str, description: str, example: str,
            **kwargs: Any) -> argparse.ArgumentParser:
        """A subcommand with its help line, description and example."""
        # Wrapped here (40 characters, about 80 columns of Chinese): the raw formatter keeps
        # the example's line as it is, which argparse's own wrapping would not.
        text = f"{textwrap.fill(description, 40)}\n\n示例：\n  {example}"
        p = self.sub.add_parser(name, help=help, description=text, **kwargs)
        add_global_options(p, top=False)
        return p

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """argparse's own call, for a module that registers itself the plain way."""
        p = self.sub.add_parser(name, **kwargs)
        add_global_options(p, top=False)
        return p
