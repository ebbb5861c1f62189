"""A ledger file on a network share: the path becomes a URI SQLite accepts (UNC shares and
mapped drives), the ledger keeps a rollback journal instead of WAL, and one warning points
to the server option."""

from __future__ import annotations

import sqlite3
from pathlib import Path, PureWindowsPath
from urllib.parse import unquote

import pytest

from tracker.db import location
from tracker.db.engine import open_ledger
from tracker.domain import ProblemInput
from tracker.services import problems, queries


@pytest.mark.parametrize("text, uri", [
    (r"Z:\督导室\台账.sqlite", "file:///Z:/%E7%9D%A3%E5%AF%BC%E5%AE%A4/%E5%8F%B0%E8%B4%A6.sqlite"),
    (r"\\nas01\share$\台账.sqlite", "file:////nas01/share%24/%E5%8F%B0%E8%B4%A6.sqlite"),
    (r"\\10.0.0.5\督导\2026\ledger.sqlite",
     "file:////10.0.0.5/%E7%9D%A3%E5%AF%BC/2026/ledger.sqlite"),
    ("//nas01/share/a b.sqlite", "file:////nas01/share/a%20b.sqlite"),
    (r"\\?\UNC\nas01\share\x.sqlite", "file:////nas01/share/x.sqlite"),
])
def test_share_and_mapped_drive_paths_become_uris_sqlite_accepts(text: str, uri: str) -> None:
    got = location.sqlite_file_uri(PureWindowsPath(text))
    assert got == uri
    # SQLite's rule: the authority must be empty or 'localhost'; the path keeps the share's
    # two leading slashes, which Windows reads as \\server\share.
    assert got.startswith("file:///") and not got.startswith("file://nas01")
    assert unquote(got[len("file://"):]).replace("/", "\\").lstrip("\\").endswith(
        PureWindowsPath(text).name)


def test_sqlite_reads_a_uri_with_an_empty_authority_and_a_double_slash_path(
        tmp_path: Path) -> None:
    db = tmp_path / "共享 台账.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
    conn.close()
    # The same shape as a share's URI (file:////server/...), which Linux reads as //tmp/...
    uri = "file:///" + str(db).replace(" ", "%20") + "?mode=ro"
    assert uri.startswith("file:////")
    ro = sqlite3.connect(uri, uri=True)
    try:
        assert ro.execute("SELECT x FROM t").fetchone() == (1,)
    finally:
        ro.close()


@pytest.fixture
def on_a_share(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every ledger path counts as a network share (as an SMB mount would)."""
    warning = location.NETWORK_WARNING.format(where="cifs 文件系统")
    monkeypatch.setattr(location, "network_warning", lambda path: warning)
    return warning


def _journal(ledger: object) -> str:
    conn = ledger.raw_connection()  # type: ignore[attr-defined]
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def test_a_ledger_on_a_share_uses_a_rollback_journal_and_warns_once(
        tmp_path: Path, on_a_share: str) -> None:
    led = open_ledger(tmp_path / "台账.sqlite", user="测试员")
    try:
        assert _journal(led) == "delete"
        problems.create_problem(led, ProblemInput("网络盘上的问题"))
        assert [p.description for p in queries.list_problems(led)] == ["网络盘上的问题"]
        assert led.warnings == [on_a_share]
        assert "服务器台账" in on_a_share and "连接服务器台账" in on_a_share
        assert not (tmp_path / "台账.sqlite-wal").exists()
    finally:
        led.close()


def test_a_local_ledger_moved_to_a_share_leaves_wal(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "台账.sqlite"
    led = open_ledger(path, user="测试员")
    assert _journal(led) == "wal" and led.warnings == []
    problems.create_problem(led, ProblemInput("本机时写入"))
    led.close()
    monkeypatch.setattr(location, "network_warning",
                        lambda p: location.NETWORK_WARNING.format(where="nfs 文件系统"))
    moved = open_ledger(path, user="测试员")
    try:
        assert _journal(moved) == "delete" and len(moved.warnings) == 1
        assert [p.description for p in queries.list_problems(moved)] == ["本机时写入"]
    finally:
        moved.close()
