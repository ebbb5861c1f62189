"""Issue 12 items 1, 2, 6 and 9: every bad invocation is one Chinese line (exit 2 for usage,
1 for the rest) with no English fragment; global options go before or after the subcommand;
a mistyped --db leaves nothing behind; date options take dates only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.core.test_export_fixtures import build_small
from tracker import __version__
from tracker.cli.main import main
from tracker.cli.parser import translate
from tracker.db.engine import open_ledger
from tracker.domain import Status


def _subcommands() -> set[str]:
    from tracker.cli.main import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return set(sub.choices)  # type: ignore[arg-type]


SUBCOMMANDS = _subcommands()
# ASCII words an error may contain: the program, its subcommands, status codes, the
# --resolve choices and file suffixes. Option names, paths and the clerk's own quoted
# input are removed before the check.
ALLOWED = {"rectify", *SUBCOMMANDS, *(s.value for s in Status), "keep-ledger", "take-file",
           "xlsx", "sqlite", "txt", "docx"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "台账.sqlite"
    led = open_ledger(path)
    build_small(led)
    led.close()
    return path


def english_words(line: str, tmp_path: Path) -> list[str]:
    """ASCII words left in ``line`` once paths, option names and quoted input are taken out."""
    line = line.replace(str(tmp_path), "")
    line = re.sub(r"“[^”]*”", "", line)  # the clerk's own input, echoed back
    line = re.sub(r"(?<![\w])--?[A-Za-z][\w-]*", "", line)  # option names
    words = re.findall(r"[A-Za-z][A-Za-z_-]*", line)
    return [w for w in words if w not in ALLOWED]


def bad_invocations(tmp: Path) -> list[tuple[list[str], int, str]]:
    """(arguments after --db, expected exit code, a fragment the message must contain)."""
    folder = tmp / "文件夹.xlsx"
    folder.mkdir()
    return [
        (["history", "--problem", "abc"], 2, "应为整数"),
        (["update", "abc", "--progress", "进展"], 2, "应为整数"),
        (["demo", "--problems", "abc"], 2, "应为整数"),
        (["demo", "--problems", "1.5"], 2, "应为整数"),
        (["export", str(tmp / "台账.xlsx"), "--font-size", "abc"], 2, "应为数字"),
        (["foo"], 2, "可选"),
        (["list", "--bogus"], 2, "无法识别的参数"),
        (["update"], 2, "缺少必填参数"),
        (["close", "1"], 2, "缺少必填参数"),
        (["show"], 2, "缺少必填参数"),
        (["list", "--status"], 2, "需要一个值"),
        (["units", "多余"], 2, "无法识别的参数"),
        (["list", "--overdue=是"], 2, "不接受值"),
        (["import-excel", str(tmp / "a.xlsx"), "--resolve", "maybe"], 2, "可选"),
        (["export", str(folder)], 1, "是一个文件夹"),
        (["export", str(tmp / "台账.xls")], 1, "应以 .xlsx 结尾"),
        (["export", str(tmp / "没有的文件夹" / "台账.xlsx")], 1, "不存在"),
        (["export", str(tmp / "台账.xlsx"), "--font-size", "50"], 1, "6 到 20"),
        (["list", "--as-of", "年底前"], 1, "不是日期"),
        (["list", "--as-of", "2026-13-45"], 1, "不是存在的日期"),
        (["export", str(tmp / "台账.xlsx"), "--date", "立行立改"], 1, "不是日期"),
        (["remind", str(tmp / "催.xlsx"), "--unit", "市教育局", "--reply-by", "abc"], 1,
         "不是日期"),
        (["update", "1", "--progress", "进展", "--date", "年底前"], 1, "不是日期"),
        (["list", "--unit", "教育局"], 1, "是否指：市教育局"),
        (["summary", "--unit", "市　教育局x"], 1, "是否指"),
        (["export", str(tmp / "台账.xlsx"), "--unit", "教育督导"], 1, "是否指：市教育督导室"),
        (["remind", str(tmp / "催.xlsx"), "--unit", "教育局"], 1, "是否指：市教育局"),
        (["list", "--source", "2021年履职评价"], 1, "是否指"),
        (["list", "--status", "差不多"], 1, "未知的状态"),
        (["update", "1", "--status", "已销号"], 1, "rectify close"),
        (["show", "99999"], 1, "不存在"),
        (["close", "99999", "--verifier", "张三"], 1, "不存在"),
        (["update", "99999", "--progress", "进展"], 1, "不存在"),
        (["history", "--limit", "0"], 1, "正整数"),
        (["backup", str(folder)], 1, "文件夹"),
        (["backup", str(tmp / "台账.sqlite" / "备份.sqlite")], 1, "不存在"),
        (["list", "--as-of", ""], 1, "不是日期"),
        (["restore", str(tmp / "没有的备份.sqlite")], 1, "找不到备份文件"),
        (["import-excel", str(tmp / "没有的台账.xlsx")], 1, "没有的台账.xlsx"),
        (["import-report", str(tmp / "没有的报告.txt")], 1, "没有的报告.txt"),
    ]


def test_every_bad_invocation_is_one_chinese_line(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = bad_invocations(tmp_path)
    assert len(table) >= 25
    failures = []
    for args, code, fragment in table:
        got = main(["--db", str(db), *args])
        out = capsys.readouterr()
        lines = out.err.strip().splitlines()
        words = english_words(out.err, tmp_path)
        if (got != code or len(lines) != 1 or fragment not in out.err or words
                or not out.err.startswith("rectify: ")):
            failures.append(f"{args}: exit {got}, {words}, {out.err!r}")
    assert failures == []


def test_argparse_messages_are_all_translated() -> None:
    for english in ("the following arguments are required: 文件",
                    "unrecognized arguments: --x",
                    "argument 子命令: invalid choice: 'foo' (choose from 'demo', 'list')",
                    "argument --db: expected one argument",
                    "argument --a: not allowed with argument --b",
                    "ambiguous option: --s could match --status, --source",
                    "one of the arguments --a --b is required",
                    "argument --n: invalid int value: 'x'",
                    "something argparse may say one day"):
        assert not re.search(r"\b(the|argument|invalid|choose|expected|could|one|something)\b",
                             translate(english)), english


def test_global_options_go_before_or_after_the_subcommand(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--db", str(db), "--json"]) == 0
    after = capsys.readouterr().out
    assert main(["--db", str(db), "list", "--json"]) == 0
    assert capsys.readouterr().out == after and "城区学位紧张" in after
    for args in (["--version"], ["list", "--version"]):
        assert main(args) == 0
        assert capsys.readouterr().out.strip() == f"rectify {__version__}"


def test_a_mistyped_ledger_path_is_refused_and_creates_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "没有" / "台账.sqlite"
    assert main(["--db", str(missing), "update", "1", "--progress", "进展"]) == 1
    assert "找不到台账文件" in capsys.readouterr().err
    assert main(["--db", str(missing), "close", "1", "--verifier", "张三"]) == 1
    assert main(["--db", str(missing), "demo", "--problems", "3"]) == 1
    assert "文件夹" in capsys.readouterr().err
    assert not missing.parent.exists()
    here = tmp_path / "新台账.sqlite"
    assert main(["--db", str(here), "update", "1", "--progress", "进展"]) == 1
    assert not here.exists()
    assert main(["--db", str(here), "demo", "--problems", "3"]) == 0
    out = capsys.readouterr()
    assert f"已新建台账 {here}" in out.err and here.exists()


def test_date_options_take_every_date_form(db: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    sentences = set()
    for day in ("2026-11-23", "2026年11月23日", "2026.11.23", "2026/11/23", "２０２６-11-23"):
        assert main(["--db", str(db), "summary", "--as-of", day]) == 0, day
        sentences.add(capsys.readouterr().out)
    assert len(sentences) == 1 and next(iter(sentences)).startswith("截至2026年11月23日")


def test_os_errors_are_worded_by_their_number_never_by_the_system_text() -> None:
    import errno

    from tracker.cli.console import os_error_text

    text = os_error_text(IsADirectoryError(errno.EISDIR, "Is a directory", "/tmp/adir.xlsx"))
    assert text == "文件操作失败：“/tmp/adir.xlsx”这是一个文件夹，不是文件。请在路径最后写上文件名。"
    assert "Permission" not in os_error_text(PermissionError(errno.EACCES, "Permission denied"))
    odd = OSError(9999, "Strange thing")
    assert "Strange" not in os_error_text(odd) and "9999" in os_error_text(odd)
    sharing = OSError(errno.EACCES, "The process cannot access the file", "台账.xlsx")
    sharing.winerror = 32  # type: ignore[attr-defined]
    assert "另一个程序" in os_error_text(sharing)


MINE = {"demo", "list", "summary", "check", "show", "close", "units", "sources", "categories",
        "history", "update", "backup", "restore", "import-excel", "import-report", "export",
        "remind"}


def test_every_subcommand_has_a_description_an_example_and_chinese_placeholders() -> None:
    from tracker.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():  # type: ignore[union-attr,index]
        assert p.description and "示例：" in p.description, name
        example = p.description.split("示例：")[1]
        assert example.strip().startswith("rectify") and f" {name}" in example, name
        if name not in MINE:
            continue  # another module's placeholders are its own
        for action in p._actions:
            if action.metavar and action.dest not in ("resolve",):
                assert re.search(r"[\u4e00-\u9fff]", str(action.metavar)), (name, action.metavar)
    check = sub.choices["check"].format_help()  # type: ignore[union-attr,index]
    assert "外键" in check and "退出码为 1" in check
    listing = sub.choices["list"].format_help()  # type: ignore[union-attr,index]
    assert all(f"{s.label}（{s.value}）" in listing.replace("\n", "").replace(" ", "")
               for s in Status)


def test_a_refused_import_leaves_no_new_ledger(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_text("不是表格", encoding="utf-8")
    target = tmp_path / "新台账.sqlite"
    assert main(["--db", str(target), "import-excel", str(bad)]) == 1
    assert "不是 Excel 工作簿" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["坏.xlsx"]
