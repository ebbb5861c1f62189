"""Windows paths through PureWindowsPath (long, with spaces and Chinese, UNC shares, the \\\\?\\
prefix) and read-only folders found by trying, as a Windows PC needs, tested on any system."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path, PureWindowsPath
from urllib.parse import unquote

import pytest

from tracker.db import location
from tracker.db.engine import open_ledger

LONG_DIR = "C:\\Users\\张 三\\Documents\\" + "\\".join(["督导反馈 整改材料（2026年）"] * 14)


def test_the_long_path_is_really_past_windows_old_limit() -> None:
    assert len(PureWindowsPath(LONG_DIR, "台账.sqlite").as_posix()) > 260


@pytest.mark.parametrize("text, uri", [
    (r"C:\Users\张三\My Documents\整改 台账.sqlite",
     "file:///C:/Users/%E5%BC%A0%E4%B8%89/My%20Documents/"
     "%E6%95%B4%E6%94%B9%20%E5%8F%B0%E8%B4%A6.sqlite"),
    (r"D:\a#b\c?d.sqlite", "file:///D:/a%23b/c%3Fd.sqlite"),  # '#' and '?' would end the path
    (r"\\fileserver\教育局\台账.sqlite",
     "file:////fileserver/%E6%95%99%E8%82%B2%E5%B1%80/%E5%8F%B0%E8%B4%A6.sqlite"),
    (r"\\?\C:\a\b.sqlite", "file:///C:/a/b.sqlite"),
    (r"\\?\UNC\srv\share\b.sqlite", "file:////srv/share/b.sqlite"),
])
def test_sqlite_uri_of_windows_paths(text: str, uri: str) -> None:
    assert location.sqlite_file_uri(PureWindowsPath(text)) == uri


def test_a_share_uri_has_no_authority_sqlite_would_reject() -> None:
    # SQLite accepts file:///... and file://localhost/... only; file://server/... is an error.
    uri = location.sqlite_file_uri(PureWindowsPath(r"\\server\share\x.sqlite"))
    assert uri.startswith("file:////server/")


def test_a_long_chinese_path_keeps_every_folder() -> None:
    path = PureWindowsPath(LONG_DIR, "台账 2026.sqlite")
    uri = location.sqlite_file_uri(path)
    assert unquote(uri) == "file:///" + path.as_posix()
    assert location.sqlite_file_uri(PureWindowsPath("\\\\?\\" + str(path))) == uri


@pytest.mark.parametrize("text, share", [
    (r"\\fileserver\教育局\台账.sqlite", r"\\fileserver\教育局\台账.sqlite"),
    ("//fileserver/共享 文件夹/台账.sqlite", r"\\fileserver\共享 文件夹\台账.sqlite"),
    (r"\\?\UNC\srv\share\台账.sqlite", r"\\srv\share\台账.sqlite"),
    (r"\\?\C:\很长的路径\台账.sqlite", ""),
    (r"C:\Users\张三\台账.sqlite", ""),
])
def test_unc_shares_are_recognised(text: str, share: str) -> None:
    assert location._unc_share(text) == share


def test_a_share_path_warns_before_any_disk_is_asked() -> None:
    warning = location.network_warning(PureWindowsPath(r"\\fileserver\教育局\台账.sqlite"))  # type: ignore[arg-type]
    assert "网络共享" in warning and r"\\fileserver\教育局" in warning


def test_the_uri_opens_a_file_with_spaces_chinese_and_hash_here(tmp_path: Path) -> None:
    folder = tmp_path / "整改 材料#1" / ("很长的文件夹名称" * 8)
    folder.mkdir(parents=True)
    path = folder / "台账 (副本)?.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    ro = sqlite3.connect(location.read_only_uri(path), uri=True)
    try:
        assert ro.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
    finally:
        ro.close()


def test_a_writable_folder_is_found_by_creating_a_file_and_left_clean(tmp_path: Path) -> None:
    assert location.folder_writable(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_or_read_only_file_system_folder_is_not_writable(tmp_path: Path) -> None:
    assert not location.folder_writable(tmp_path / "gone")
    if Path("/proc/self").is_dir():  # read-only even for root, which chmod is not
        assert not location.folder_writable(Path("/proc/self"))


@pytest.fixture
def windows_like_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A folder where os.access says writable (as on Windows) but creating a file is denied."""
    locked = tmp_path / "只读 共享"
    locked.mkdir()
    real_open = os.open

    def deny(path: os.PathLike[str] | str, flags: int, *args: object) -> int:
        target = Path(path)
        if target.parent == locked and (flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)):
            raise PermissionError(13, "拒绝访问", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(location.os, "open", deny)
    monkeypatch.setattr(os, "access", lambda *_a, **_k: True)  # what Windows answers
    return locked


def test_os_access_lying_does_not_hide_a_read_only_folder(windows_like_folder: Path) -> None:
    assert os.access(windows_like_folder, os.W_OK)
    assert not location.folder_writable(windows_like_folder)


def test_a_ledger_in_a_locked_folder_opens_read_only(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "只读 共享"
    folder.mkdir()
    path = folder / "台账.sqlite"
    open_ledger(path, auto_backup=False).close()
    for side in folder.glob("台账.sqlite-*"):
        side.unlink()
    real_open = os.open

    def deny(p: os.PathLike[str] | str, flags: int, *args: object) -> int:
        if Path(p).parent == folder and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(13, "拒绝访问", str(p))
        return real_open(p, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(location.os, "open", deny)
    monkeypatch.setattr(os, "access", lambda *_a, **_k: True)
    led = open_ledger(path)
    try:
        assert led.read_only
        assert "immutable=1" in location.read_only_uri(path)
    finally:
        led.close()
