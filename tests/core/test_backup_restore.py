"""Backups (automatic, daily, last 30 kept; manual) and restore (checked first, the replaced
ledger kept), always through SQLite's backup API."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tracker import clock
from tracker.db import backup as bk
from tracker.db import schema
from tracker.db.engine import open_ledger
from tracker.db.restore import check_backup, restore
from tracker.domain import MeasureInput, ProblemInput, SourceInput
from tracker.errors import LedgerLockedError, LedgerOpenError, NewerSchemaError
from tracker.integrity import check_ledger
from tracker.services.history import list_history
from tracker.services.problems import create_problem
from tracker.services.queries import list_problems
from tracker.services.reference import create_source
from tests.core.revisions import ledger_at


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _descriptions(path: Path) -> list[str]:
    led = open_ledger(path, auto_backup=False)
    try:
        return [p.description for p in list_problems(led)]
    finally:
        led.close()


def _ledger_with(path: Path, *descriptions: str) -> Path:
    led = open_ledger(path, user="测试员", auto_backup=False)
    try:
        for d in descriptions:
            create_problem(led, ProblemInput(d, measures=(MeasureInput("制定整改方案"),)))
    finally:
        led.close()
    return path


def _add(path: Path, description: str) -> None:
    led = open_ledger(path, auto_backup=False)
    try:
        create_problem(led, ProblemInput(description))
    finally:
        led.close()


def test_opening_a_ledger_with_data_takes_one_backup_a_day(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "台账.sqlite", "大班额问题突出")
    for _ in range(3):
        open_ledger(path).close()
    autos = [b for b in bk.list_backups(path) if b.kind == bk.AUTO]
    assert len(autos) == 1
    assert autos[0].path.parent == tmp_path / "backups"
    assert autos[0].taken_at.date() == clock.today() and autos[0].size > 0
    assert _descriptions(autos[0].path) == ["大班额问题突出"]


def test_a_backup_is_one_self_contained_file(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "l.sqlite", "学位紧张")
    info = bk.backup_now(open_ledger(path, auto_backup=False))
    assert not Path(str(info.path) + "-wal").exists()
    with sqlite3.connect(info.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert not list(info.path.parent.glob("*.part"))


def test_a_brand_new_ledger_makes_no_backup_folder(tmp_path: Path) -> None:
    open_ledger(tmp_path / "new.sqlite").close()
    assert not (tmp_path / "backups").exists()


def test_only_the_last_30_automatic_backups_are_kept(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "l.sqlite", "经费拨付不及时")
    led = open_ledger(path, auto_backup=False)
    try:
        manual = bk.backup_now(led)
        start = dt.datetime(2026, 1, 1, 8, 30)
        for day in range(35):
            assert bk.auto_backup(led, now=start + dt.timedelta(days=day)) is not None
        assert bk.auto_backup(led, now=start + dt.timedelta(days=34, hours=5)) is None
    finally:
        led.close()
    autos = [b for b in bk.list_backups(path) if b.kind == bk.AUTO]
    assert len(autos) == 30
    assert autos[0].taken_at.date() == dt.date(2026, 2, 4)
    assert autos[-1].taken_at.date() == dt.date(2026, 1, 6)
    assert manual.path.exists(), "manual backups are never pruned"


def test_backup_includes_commits_still_in_the_wal_that_a_file_copy_would_miss(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "l.sqlite", "第一个问题")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")  # keep the commit in the WAL only
    writer.execute("UPDATE problem SET description='改在日志里的描述'")
    try:
        naive = tmp_path / "copy.sqlite"
        shutil.copyfile(path, naive)  # what a file copy of a live ledger gets
        with sqlite3.connect(naive) as c:
            assert c.execute("SELECT description FROM problem").fetchone()[0] == "第一个问题"
        c.close()
        led = open_ledger(path, auto_backup=False)
        dest = bk.backup_to(led, tmp_path / "b.sqlite")
        led.close()
    finally:
        writer.close()
    assert _descriptions(dest) == ["改在日志里的描述"]


def test_backup_runs_beside_an_open_write_and_leaves_it_out(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "l.sqlite", "已保存的问题")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE problem SET description='尚未保存'")
    try:
        led = open_ledger(path, auto_backup=False, migrate=False, read_only=True)
        dest = bk.backup_to(led, tmp_path / "b.sqlite")
        led.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _descriptions(dest) == ["已保存的问题"]


def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "l.sqlite", "食堂留样不规范")
    led = open_ledger(path, auto_backup=False)
    saved = bk.backup_now(led)
    led.close()
    _add(path, "备份之后才录入的问题")

    result = restore(path, saved.path, user="王芳")

    assert _descriptions(path) == ["食堂留样不规范"]
    assert result.safety_copy is not None and "-恢复前-" in result.safety_copy.name
    assert result.safety_copy.parent == tmp_path / "backups"
    assert sorted(_descriptions(result.safety_copy)) == ["备份之后才录入的问题", "食堂留样不规范"]
    assert result.revision == schema.head_revision()
    led = open_ledger(path, auto_backup=False)
    try:
        assert check_ledger(led).ok
        newest = list_history(led, limit=1)[0]
        assert newest.user == "王芳" and newest.description.startswith(f"从备份“{saved.path.name}”恢复台账")
        with sqlite3.connect(path) as c:
            assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        c.close()
    finally:
        led.close()
    kinds = {b.kind for b in bk.list_backups(path)}
    assert {bk.MANUAL, bk.BEFORE_RESTORE} <= kinds


def _newer(tmp_path: Path) -> Path:
    path = _ledger_with(tmp_path / "newer.sqlite", "将来的问题")
    with sqlite3.connect(path) as c:
        c.execute("UPDATE alembic_version SET version_num='9999_future'")
    c.close()
    return path


def _corrupt(tmp_path: Path) -> Path:
    path = _ledger_with(tmp_path / "bad.sqlite", *(f"问题{i}" * 200 for i in range(40)))
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA journal_mode=DELETE")
    c.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for p in range(2, len(data) // page):  # scribble over every page but the header page
        data[p * page + 8: p * page + 200] = os.urandom(192)
    path.write_bytes(bytes(data))
    return path


BAD_BACKUPS = {
    "empty": (lambda d: _write(d / "empty.sqlite", b""), "空文件"),
    "random": (lambda d: _write(d / "random.sqlite", os.urandom(8192)), "不是 SQLite 数据库"),
    "text": (lambda d: _write(d / "notes.sqlite", "会议纪要".encode() * 100), "不是 SQLite 数据库"),
    "foreign": (lambda d: _foreign(d / "contacts.db"), "不是整改台账文件"),
    "newer": (_newer, "更新版本"),
    "corrupt": (_corrupt, "损坏"),
    "missing": (lambda d: d / "nowhere.sqlite", "找不到备份文件"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _foreign(path: Path) -> Path:
    with sqlite3.connect(path) as c:
        c.execute("CREATE TABLE contacts (name TEXT)")
    c.close()
    return path


@pytest.mark.parametrize("kind", sorted(BAD_BACKUPS))
def test_a_bad_backup_is_refused_and_the_ledger_is_untouched(tmp_path: Path, kind: str) -> None:
    make, words = BAD_BACKUPS[kind]
    bad = make(tmp_path)
    path = _ledger_with(tmp_path / "l.sqlite", "课后服务内容单一")
    before = _digest(path)
    with pytest.raises(LedgerOpenError) as err:
        restore(path, bad)
    assert words in err.value.message and bad.name in err.value.message
    assert _digest(path) == before
    assert not (tmp_path / "backups").exists(), "nothing is done before the checks pass"
    if kind == "newer":
        assert isinstance(err.value, NewerSchemaError)


def test_restoring_the_ledger_onto_itself_is_refused(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "l.sqlite", "问题")
    with pytest.raises(LedgerOpenError, match="当前台账文件本身"):
        restore(path, path)


def test_restore_is_refused_while_another_window_has_the_ledger_open(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "l.sqlite", "原来的问题")
    led = open_ledger(path, auto_backup=False)
    saved = bk.backup_now(led)
    _add(path, "另一个窗口录入的问题")
    try:
        assert len(list_problems(led)) == 2  # the window shows the ledger: it holds a connection
        with pytest.raises(LedgerLockedError) as err:
            restore(path, saved.path)
        assert "另一个窗口" in err.value.message and "没有改动" in err.value.message
        assert sorted(p.description for p in list_problems(led)) == ["原来的问题", "另一个窗口录入的问题"]
    finally:
        led.close()


def test_a_ledger_too_damaged_to_open_is_replaced_and_its_bytes_kept(tmp_path: Path) -> None:
    good = _ledger_with(tmp_path / "good.sqlite", "校舍安全隐患")
    led = open_ledger(good, auto_backup=False)
    saved = bk.backup_to(led, tmp_path / "saved.sqlite")
    led.close()
    path = tmp_path / "l.sqlite"
    path.write_bytes(b"\x00garbage" * 5000)
    damaged = _digest(path)

    result = restore(path, saved)

    assert _descriptions(path) == ["校舍安全隐患"]
    assert result.safety_copy is not None and "已损坏" in result.safety_copy.name
    assert _digest(result.safety_copy) == damaged


def test_a_ledger_with_damaged_pages_is_restored_and_kept_as_it_was(tmp_path: Path) -> None:
    good = _ledger_with(tmp_path / "good.sqlite", "校舍安全隐患")
    led = open_ledger(good, auto_backup=False)
    saved = bk.backup_to(led, tmp_path / "saved.sqlite")
    led.close()
    path = _corrupt(tmp_path)
    damaged = _digest(path)
    result = restore(path, saved)
    assert _descriptions(path) == ["校舍安全隐患"]
    assert result.safety_copy is not None and _digest(result.safety_copy) == damaged


def test_a_backup_from_an_older_version_is_restored_and_upgraded_at_open(tmp_path: Path) -> None:
    old = ledger_at(tmp_path / "old.sqlite", "0001")
    path = _ledger_with(tmp_path / "l.sqlite", "现在的问题")

    assert restore(path, old).revision == "0001"
    assert schema.file_revision(path) == "0001"
    assert _descriptions(path) == []
    assert schema.file_revision(path) == schema.head_revision()


def test_restore_into_a_missing_ledger_creates_it(tmp_path: Path) -> None:
    src = _ledger_with(tmp_path / "src.sqlite", "问题甲", "问题乙")
    target = tmp_path / "新文件夹" / "l.sqlite"
    result = restore(target, src)
    assert result.safety_copy is None
    assert sorted(_descriptions(target)) == ["问题乙", "问题甲"]


def test_check_backup_names_the_revision_of_a_good_backup(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "l.sqlite", "问题")
    assert check_backup(path) == schema.head_revision()


def test_auto_backup_failure_is_a_warning_not_a_refusal_to_open(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "l.sqlite", "问题")
    (tmp_path / "backups").write_text("占位：这里是文件，不是文件夹", encoding="utf-8")
    led = open_ledger(path)
    try:
        assert any("自动备份没有完成" in w for w in led.warnings)
        create_source(led, SourceInput("仍然可以编辑"))
    finally:
        led.close()


def test_half_written_backups_of_a_killed_program_are_cleared_later(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path / "l.sqlite", "问题")
    folder = tmp_path / "backups"
    folder.mkdir()
    stale = folder / "l-自动-20261101-080000.sqlite.4242.part"
    fresh = folder / "l-自动-20261123-080000.sqlite.4343.part"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = dt.datetime(2026, 11, 1, 8, 0).timestamp()
    os.utime(stale, (old, old))
    removed = bk.prune_auto_backups(path)
    assert stale in removed and not stale.exists()
    assert fresh.exists(), "a backup still being written by another window is left alone"
    assert bk.list_backups(path) == []


def test_rectify_backup_and_restore_from_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli.main import main

    path = _ledger_with(tmp_path / "l.sqlite", "命令行备份前的问题")
    copy = tmp_path / "外带备份.sqlite"
    assert main(["--db", str(path), "backup", str(copy)]) == 0
    assert f"已备份到 {copy}" in capsys.readouterr().out
    assert main(["--db", str(path), "backup", str(copy)]) == 1
    assert "已存在" in capsys.readouterr().err
    assert main(["--db", str(path), "backup", str(path)]) == 1
    assert "台账文件本身" in capsys.readouterr().err
    assert main(["--db", str(path), "backup"]) == 0
    assert main(["--db", str(path), "backup", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "手动" in listing and "共 1 份备份" in listing

    _add(path, "备份之后的问题")
    assert main(["--db", str(path), "restore", str(copy), "--user", "王芳"]) == 0
    out = capsys.readouterr().out
    assert "已用" in out and "恢复前的台账已保存为" in out
    assert _descriptions(path) == ["命令行备份前的问题"]
    assert main(["--db", str(path), "restore", str(tmp_path / "没有这个文件.sqlite")]) == 1
    assert "找不到备份文件" in capsys.readouterr().err
