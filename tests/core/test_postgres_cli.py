"""`rectify` against a server ledger through a real subprocess: RECTIFY_DB, copy both ways,
backup to an ordinary file, a read-only role, and a server that is not there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_cli import run

pytestmark = pytest.mark.usefixtures("pg_server")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"XDG_DATA_HOME": str(tmp_path / "data"), **extra}


def test_rectify_db_may_name_a_server(pg_url: str, tmp_path: Path) -> None:
    env = _env(tmp_path, RECTIFY_DB=pg_url)
    out = run("demo", "--problems", "5", env=env)
    assert out.returncode == 0, out.stderr
    assert pg_url in out.stdout
    listed = json.loads(run("list", "--json", env=env).stdout)
    assert len(listed) == 5


def test_copy_a_file_to_the_server_and_back(pg_url: str, tmp_path: Path) -> None:
    src = tmp_path / "原台账.sqlite"
    assert run("demo", "--problems", "25", db=src).returncode == 0
    up = run("copy", str(src), pg_url, env=_env(tmp_path))
    assert up.returncode == 0, up.stderr
    assert "问题 25 个" in up.stdout and "完整性检查通过" in up.stdout
    back = tmp_path / "取回.sqlite"
    down = run("copy", pg_url, str(back), env=_env(tmp_path))
    assert down.returncode == 0, down.stderr and back.exists()
    a = json.loads(run("list", "--json", db=src).stdout)
    b = json.loads(run("list", "--json", db=back).stdout)
    assert a == b
    again = run("copy", str(src), pg_url, env=_env(tmp_path))
    assert again.returncode == 1 and "已有数据" in again.stderr
    assert run("copy", str(src), str(back)).returncode == 1  # never overwrites a file


def test_backup_of_a_server_ledger_is_a_file_any_clerk_opens(pg_url: str, tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert run("demo", "--problems", "7", db=pg_url, env=env).returncode == 0
    dest = tmp_path / "服务器备份.sqlite"
    out = run("backup", str(dest), db=pg_url, env=env)
    assert out.returncode == 0, out.stderr
    assert dest.read_bytes()[:16] == b"SQLite format 3\x00"
    assert len(json.loads(run("list", "--json", db=dest).stdout)) == 7
    assert run("check", db=dest).returncode == 0
    assert run("backup", db=pg_url, env=env).returncode == 0  # into the local backups folder
    listed = run("backup", "--list", db=pg_url, env=env)
    assert "共 1 份备份" in listed.stdout
    refused = run("restore", str(dest), db=pg_url, env=env)
    assert refused.returncode == 1 and "rectify copy" in refused.stderr


def test_a_read_only_role_is_refused_edits_in_one_line(pg_server, pg_url: str,
                                                       tmp_path: Path) -> None:
    name = pg_url.rsplit("/", 1)[1]
    assert run("demo", "--problems", "3", db=pg_url, env=_env(tmp_path)).returncode == 0
    role = f"chief_{name}"
    pg_server.admin(f"CREATE ROLE {role} LOGIN")
    pg_server.admin(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}", database=name)
    url = pg_server.url(name, user=role)
    try:
        assert len(json.loads(run("list", "--json", db=url).stdout)) == 3
        out = run("update", "1", "--progress", "试图修改", db=url)
        assert out.returncode == 1 and ("只读" in out.stderr or "查看权限" in out.stderr)
        assert "Traceback" not in out.stderr
    finally:
        pg_server.admin(f"DROP OWNED BY {role}", database=name)
        pg_server.admin(f"DROP ROLE {role}")


def test_a_server_that_is_not_there_is_one_chinese_line(tmp_path: Path) -> None:
    from tests.core.pg_server import _free_port

    out = run("list", db=f"postgresql://clerk@127.0.0.1:{_free_port()}/rectify")
    assert out.returncode == 1 and "无法连接服务器台账" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_export_report_history_and_reimport_on_a_server(pg_url: str, tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert run("demo", "--problems", "12", db=pg_url, env=env).returncode == 0
    sheet = tmp_path / "台账.xlsx"
    out = run("export", str(sheet), db=pg_url, env=env)
    assert out.returncode == 0, out.stderr
    again = run("import-excel", str(sheet), db=pg_url, env=env)
    assert again.returncode == 0, again.stderr
    assert len(json.loads(run("list", "--json", db=pg_url, env=env).stdout)) == 12
    history = run("history", "--limit", "5", db=pg_url, env=env)
    assert history.returncode == 0, history.stderr
    assert run("summary", db=pg_url, env=env).stdout.startswith("截至")
    assert run("check", db=pg_url, env=env).returncode == 0
