"""Server ledger addresses and error sentences, without a server."""

from __future__ import annotations

import pytest

from tracker.db import server
from tracker.errors import LedgerLockedError, LedgerOpenError, ReadOnlyError, StorageError


@pytest.mark.parametrize("text, yes", [
    ("postgresql://zhang@10.0.0.5:5432/rectify", True),
    ("postgres://zhang@host/rectify", True),
    (" POSTGRESQL://a@b/c", True),
    ("D:/台账/ledger.sqlite", False),
    (r"\\server\share\台账.sqlite", False),
])
def test_a_url_is_told_from_a_file_path(text: str, yes: bool) -> None:
    assert server.is_server_url(text) is yes


def test_a_url_that_went_through_pathlib_is_still_a_url() -> None:
    from pathlib import Path

    squashed = str(Path("postgresql://zhang@10.0.0.5:5432/rectify"))
    assert squashed.startswith("postgresql:/z") and server.is_server_url(squashed)
    assert server.display(server.parse_url(squashed)) == "postgresql://zhang@10.0.0.5:5432/rectify"


def test_the_password_is_never_shown() -> None:
    url = server.parse_url("postgresql://zhang:机密@10.0.0.5:5432/rectify")
    assert url.password == "机密" and url.drivername == "postgresql+psycopg"
    assert server.display(url) == "postgresql://zhang:***@10.0.0.5:5432/rectify"


def test_the_dialog_fields_make_a_url_without_a_password() -> None:
    url = server.build_url(" 10.0.0.5 ", 5433, "督导台账", "张三")
    parsed = server.parse_url(url)
    assert (parsed.host, parsed.port, parsed.database, parsed.username, parsed.password) == (
        "10.0.0.5", 5433, "督导台账", "张三", None)


def test_a_url_without_a_database_is_refused() -> None:
    with pytest.raises(LedgerOpenError, match="缺少数据库名"):
        server.parse_url("postgresql://zhang@10.0.0.5:5432")


def test_the_local_stand_in_names_the_server(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    anchor = server.local_anchor(server.parse_url("postgresql://a@srv-01:5433/督导台账"))
    assert anchor.name == "督导台账（a@srv-01，5433）.server" and anchor.parent.name == "服务器台账"
    # The window's recent list remembers it as a path: the path leads back to the server.
    back = server.parse_url(server.anchor_url(anchor))
    assert (back.username, back.host, back.port, back.database) == ("a", "srv-01", 5433, "督导台账")
    assert server.anchor_url(tmp_path / "ledger.sqlite") == ""


class _Fake(Exception):
    def __init__(self, text: str, sqlstate: str = "") -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize("exc, kind, words", [
    (_Fake('password authentication failed for user "zhang"', "28P01"), LedgerOpenError, "密码"),
    (_Fake("fe_sendauth: no password supplied"), LedgerOpenError, "pgpass"),
    (_Fake("permission denied for table problem", "42501"), ReadOnlyError, "查看权限"),
    (_Fake("canceling statement due to lock timeout", "55P03"), LedgerLockedError, "稍后重试"),
    (_Fake('connection to server at "10.0.0.5" failed: Connection refused'), StorageError,
     "无法连接"),
    (_Fake('database "x" does not exist', "3D000"), LedgerOpenError, "没有数据库"),
])
def test_driver_errors_become_one_chinese_sentence(exc: Exception, kind: type, words: str) -> None:
    got = server.translate_error(exc, "postgresql://zhang@10.0.0.5/rectify")
    assert isinstance(got, kind) and words in got.message
