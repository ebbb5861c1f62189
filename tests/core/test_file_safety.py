"""Where the ledger file lives and what the disk allows: network shares warned about,
read-only files and folders opened read-only, a full disk explained with nothing half-saved."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from tracker.db import location
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput, SourceInput
from tracker.errors import ReadOnlyError, StorageError
from tracker.integrity import check_ledger
from tracker.services.problems import create_problem
from tracker.services.queries import list_problems
from tracker.services.reference import create_source

ROOT = Path(__file__).resolve().parents[2]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("path", [
    r"\\教育局服务器\督导室\台账.sqlite",
    "//fileserver/share/台账.sqlite",
    r"\\?\UNC\fileserver\share\台账.sqlite",
])
def test_a_unc_path_gets_the_network_warning_citing_sqlite(path: str) -> None:
    text = location.network_warning(Path(path))
    assert "网络共享" in text and "https://www.sqlite.org/useovernet.html" in text
    assert "放在本机磁盘" in text


def test_a_long_local_windows_path_is_not_a_share() -> None:
    assert location.network_warning(Path(r"\\?\C:\Users\王芳\台账.sqlite")) == ""


def test_a_local_file_gets_no_warning(tmp_path: Path) -> None:
    assert location.network_warning(tmp_path / "台账.sqlite") == ""


def test_mounts_are_matched_by_whole_folder_names() -> None:
    mounts = [("/", "ext4"), ("/mnt/share", "cifs"), ("/home/clerk/nas", "nfs4")]
    assert location._mount_type("/mnt/share/台账.sqlite", mounts) == "cifs"
    assert location._mount_type("/mnt/shared/台账.sqlite", mounts) == "ext4"
    assert location._mount_type("/home/clerk/nas", mounts) == "nfs4"
    assert {"cifs", "nfs4", "smbfs", "fuse.sshfs"} <= location.NETWORK_FS


def test_opening_a_ledger_by_a_share_style_path_carries_the_warning(tmp_path: Path) -> None:
    # On Linux "//tmp/..." names the same file as "/tmp/...", but reads like a UNC share.
    led = open_ledger("/" + str(tmp_path / "l.sqlite"), auto_backup=False)
    try:
        assert any("网络共享" in w for w in led.warnings)
        create_source(led, SourceInput("仍然可以使用"))  # a warning, not a refusal
    finally:
        led.close()


def _read_only_open(path: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-m", "tests.core.ledger_worker", "readonly", str(path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture
def shared_ledger() -> Iterator[Path]:
    """A ledger with one source in a folder an ordinary user can reach (pytest's is private)."""
    top = Path(tempfile.mkdtemp(prefix="rectify-ro-"))
    top.chmod(0o755)
    folder = top / "共享"
    folder.mkdir()
    path = folder / "台账.sqlite"
    led = open_ledger(path, auto_backup=False)
    create_source(led, SourceInput("已有的来源"))
    led.close()
    yield path
    folder.chmod(0o755)
    shutil.rmtree(top, ignore_errors=True)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_file_opens_read_only_with_a_banner_and_refuses_saves(shared_ledger: Path
                                                                         ) -> None:
    path = shared_ledger
    path.parent.chmod(0o777)
    path.chmod(0o444)
    before = _digest(path)
    result = _read_only_open(path)
    assert result["read_only"] is True
    assert any("只读" in w for w in result["warnings"])  # type: ignore[union-attr]
    assert result["sources"] == ["已有的来源"]
    assert result["write"] == "ReadOnlyError" and "只读" in str(result["message"])
    assert _digest(path) == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_ledger_in_a_read_only_folder_can_still_be_read(shared_ledger: Path) -> None:
    # A CD or a write-protected share: SQLite cannot create its side files there. Before the
    # fix this ledger was reported as damaged ("已损坏").
    path = shared_ledger
    path.chmod(0o444)
    path.parent.chmod(0o555)
    before = _digest(path)
    result = _read_only_open(path)
    assert result["read_only"] is True and result["sources"] == ["已有的来源"]
    assert result["write"] == "ReadOnlyError"
    assert _digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["台账.sqlite"]


def test_asking_for_read_only_refuses_every_write(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    open_ledger(path, auto_backup=False).close()
    led = open_ledger(path, read_only=True, auto_backup=False)
    try:
        with pytest.raises(ReadOnlyError) as err:
            create_problem(led, ProblemInput("不应保存"))
        assert "只读" in err.value.message
    finally:
        led.close()


def test_a_full_disk_is_explained_and_nothing_half_saved(tmp_path: Path) -> None:
    led = open_ledger(tmp_path / "l.sqlite", auto_backup=False)
    try:
        create_problem(led, ProblemInput("原有问题", measures=(MeasureInput("原有措施"),)))
        conn = led.raw_connection()
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.close()

        # SQLite's own SQLITE_FULL, as on a full disk: the file may not grow past a few pages.
        @event.listens_for(led.engine, "connect")
        def _cap(dbapi: sqlite3.Connection, _record: object) -> None:
            dbapi.execute(f"PRAGMA max_page_count={pages + 2}")

        led.engine.dispose()
        big = ProblemInput("新问题" + "描述" * 15000,
                           measures=tuple(MeasureInput("措施" * 5000) for _ in range(6)))
        with pytest.raises(StorageError) as err:
            create_problem(led, big)
        assert "磁盘空间已满" in err.value.message and "没有保存" in err.value.message
        assert "窗口中的内容仍在" in err.value.message
        event.remove(led.engine, "connect", _cap)
        led.engine.dispose()
        assert [p.description for p in list_problems(led)] == ["原有问题"]
        assert check_ledger(led).ok
    finally:
        led.close()


def test_writes_take_the_write_lock_at_begin(ledger) -> None:
    # BEGIN IMMEDIATE: a save never starts on a snapshot another window may change under it.
    from sqlalchemy import text

    other = sqlite3.connect(ledger.path, timeout=0, isolation_level=None)
    try:
        with ledger.write() as s:
            s.execute(text("SELECT 1"))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
