"""Errors leave a trace: the rotating log file, its fallback, and the CLI's wording of a bug."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker import logs
from tracker.cli import ledger_cmds
from tracker.cli.main import EXIT_ERROR
from tracker.cli.main import main as cli_main
from tracker.db.engine import Ledger


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """RECTIFY_LOG_DIR in a temporary folder; logging stopped again after the test."""
    folder = tmp_path / "logs"
    monkeypatch.setenv(logs.ENV, str(folder))
    yield folder
    logs.stop_logging()


def _raise(exc: BaseException) -> None:
    raise exc


def test_log_file_is_created_under_the_env_folder(log_dir: Path) -> None:
    path = logs.setup_logging("cli")
    assert path is not None
    assert path.parent == log_dir.resolve()
    assert path.name == "rectify-cli.log"
    assert path.exists()
    assert logs.log_path() == path


def test_setting_up_twice_keeps_one_handler(log_dir: Path) -> None:
    first = logs.setup_logging("cli")
    second = logs.setup_logging("cli")
    assert first == second
    ours = [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)
            and Path(h.baseFilename) == first]
    assert len(ours) == 1


def test_log_exception_writes_the_traceback_in_utf8(log_dir: Path) -> None:
    path = logs.setup_logging("window")
    assert path is not None
    try:
        _raise(ValueError("坏的值"))
    except ValueError as exc:
        logs.log_exception("出错了", exc)
    text = path.read_text(encoding="utf-8")
    assert "出错了" in text
    assert "Traceback (most recent call last)" in text
    assert "ValueError: 坏的值" in text
    assert "_raise" in text


def test_the_file_rotates_and_keeps_five_old_files(log_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.setup_logging("cli")
    assert path is not None
    for i in range(400):
        logs.logger.info("一行日志 %d %s", i, "x" * 40)
    names = sorted(p.name for p in log_dir.iterdir())
    assert names == ["rectify-cli.log", *(f"rectify-cli.log.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size <= 2_200 for p in log_dir.iterdir())


def test_a_folder_that_cannot_be_made_means_no_log_and_no_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(logs.ENV, str(blocker / "logs"))  # a folder inside a file: always fails
    try:
        assert logs.setup_logging("cli") is None
        assert logs.log_path() is None
        logs.log_exception("没有日志也不崩溃", RuntimeError("x"))
        assert "未能写入日志文件" in logs.unexpected_error_text(RuntimeError("x"))
    finally:
        logs.stop_logging()
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="needs POSIX permissions that apply to this user (not root)")
def test_a_read_only_folder_means_no_log_and_no_error(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    monkeypatch.setenv(logs.ENV, str(locked / "logs"))
    try:
        assert logs.setup_logging("cli") is None
    finally:
        locked.chmod(0o700)
        logs.stop_logging()


def test_switching_folders_moves_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         log_dir: Path) -> None:
    first = logs.setup_logging("cli")
    monkeypatch.setenv(logs.ENV, str(tmp_path / "other"))
    second = logs.setup_logging("cli")
    assert first != second and second is not None
    logs.logger.warning("只在新文件")
    assert first is not None and "只在新文件" not in first.read_text(encoding="utf-8")
    assert "只在新文件" in second.read_text(encoding="utf-8")


def test_the_sentence_names_the_error_and_the_file() -> None:
    text = logs.unexpected_error_text(ValueError("x"), Path("/tmp/rectify-cli.log"))
    assert text == ("程序出现意外错误（ValueError），已记录到日志文件："
                    f"{Path('/tmp/rectify-cli.log')}。请把该文件发给技术支持。")


def test_cli_words_a_bug_as_one_sentence_and_logs_its_traceback(
        log_dir: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("列表坏了")

    monkeypatch.setattr(ledger_cmds, "cmd_list", broken)
    code = cli_main(["--db", str(ledger.path), "list"])
    err = capsys.readouterr().err
    path = logs.log_path()
    assert path is not None and path.parent == log_dir.resolve()
    assert code == EXIT_ERROR
    assert err == (f"rectify: 程序出现意外错误（RuntimeError），已记录到日志文件：{path}。"
                   "请把该文件发给技术支持。\n")
    assert "Traceback" not in err
    text = path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: 列表坏了" in text
    assert "in broken" in text
    assert " list" in text  # the command line that failed


def test_cli_known_error_keeps_its_message_and_is_logged(
        log_dir: Path, ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(["--db", str(ledger.path), "list", "--status", "差不多"])
    err = capsys.readouterr().err
    assert code == EXIT_ERROR
    assert err.startswith("rectify: 未知的状态“差不多”")
    assert "日志" not in err
    path = logs.log_path()
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "未知的状态“差不多”" in text and "ValidationError" in text
    assert "Traceback" not in text
