"""The PostgreSQL store on a real throwaway server: opening, refusals, roles, sorting, check,
copying both ways and backups as ordinary ledger files."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import TODAY
from tracker.db import copy as ledger_copy
from tracker.db.backup import backup_now, list_backups
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput
from tracker.errors import LedgerOpenError, NewerSchemaError, ReadOnlyError, StorageError
from tracker.integrity import check_ledger
from tracker.services import problems, queries
from tracker.services.evidence import attach_bytes
from tracker.services.queries import SORT_KEYS

pytestmark = pytest.mark.usefixtures("pg_server")


def _demo(ledger: Ledger, n: int = 40) -> None:
    from tracker.demo import build_demo

    build_demo(ledger, n, today=TODAY)


def test_a_new_database_gets_the_schema_the_categories_and_a_label(pg_url: str) -> None:
    led = open_ledger(pg_url, user="测试员")
    try:
        assert led.is_server and not led.read_only and led.url == pg_url
        assert led.path.suffix == ".server" and led.path.read_text(encoding="utf-8").startswith(
            pg_url)
        again = open_ledger(led.path)  # the window's recent list reopens it by that path
        assert again.is_server and again.url == pg_url
        again.close()
        from tracker.services.reference import list_categories

        assert list_categories(led)  # seeded like a new file
    finally:
        led.close()


def test_every_sort_and_a_text_search_run_on_the_server(ledger: Ledger) -> None:
    _demo(ledger)
    for key in SORT_KEYS:
        for desc in (False, True):
            ids = queries.problem_ids(ledger, sort=key, descending=desc)
            assert sorted(ids) == sorted(queries.problem_ids(ledger))
            scanned = queries.problem_ids(ledger, ProblemFilter(text="整改"), sort=key,
                                          descending=desc)
            assert set(scanned) <= set(ids)
    progress = [p.measures_done / max(p.measures_total, 1)
                for p in queries.list_problems(ledger, sort="progress")]
    assert progress == sorted(progress)


def test_a_database_from_a_newer_program_is_refused_untouched(pg_url: str) -> None:
    open_ledger(pg_url).close()
    led = open_ledger(pg_url)
    with led.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    led.close()
    with pytest.raises(NewerSchemaError, match="更新版本"):
        open_ledger(pg_url)


def test_a_database_holding_other_tables_is_not_taken_over(pg_server, pg_url: str) -> None:
    name = pg_url.rsplit("/", 1)[1]
    pg_server.admin("DROP TABLE alembic_version", database=name)
    with pytest.raises(LedgerOpenError, match="不是整改台账"):
        open_ledger(pg_url)


def test_an_unreachable_server_is_one_clear_sentence(pg_server) -> None:
    from tests.core.pg_server import _free_port

    with pytest.raises(StorageError, match="无法连接服务器台账"):
        open_ledger(f"postgresql://nobody@127.0.0.1:{_free_port()}/x")


def test_a_missing_database_says_so(pg_server) -> None:
    with pytest.raises(LedgerOpenError, match="没有数据库"):
        open_ledger(pg_server.url("no_such_ledger"))


def test_a_read_only_role_gets_a_read_only_ledger(pg_server, pg_url: str) -> None:
    name = pg_url.rsplit("/", 1)[1]
    led = open_ledger(pg_url, user="测试员")
    _demo(led, 10)
    led.close()
    role = f"reader_{name}"
    pg_server.admin(f"CREATE ROLE {role} LOGIN")
    for sql in (f"GRANT CONNECT ON DATABASE {name} TO {role}",
                f"GRANT USAGE ON SCHEMA public TO {role}",
                f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"):
        pg_server.admin(sql, database=name)
    reader = open_ledger(pg_server.url(name, user=role))
    try:
        assert reader.read_only and any("只有查看权限" in w for w in reader.warnings)
        assert reader.user == role  # the history would name the connecting role
        assert len(queries.list_problems(reader)) == 10
        with pytest.raises(ReadOnlyError):
            problems.create_problem(reader, ProblemInput("不该写入"))
    finally:
        reader.close()
        pg_server.admin(f"DROP OWNED BY {role}", database=name)
        pg_server.admin(f"DROP ROLE {role}")


def test_check_passes_on_a_healthy_server_ledger(ledger: Ledger) -> None:
    _demo(ledger, 20)
    report = check_ledger(ledger)
    assert report.ok, report.lines()


def test_ids_continue_after_the_bulk_writers_explicit_ids(ledger: Ledger) -> None:
    _demo(ledger, 15)  # the demo writes ids itself: the sequence must have moved past them
    row = problems.create_problem(ledger, ProblemInput("新问题", measures=(MeasureInput("措施"),)))
    assert row.id > 15 and queries.get_problem(ledger, row.id).description == "新问题"


def test_copy_file_to_server_and_back_keeps_every_row(tmp_path: Path, pg_url: str) -> None:
    src = open_ledger(tmp_path / "原台账.sqlite", user="测试员")
    _demo(src, 30)
    pid = queries.problem_ids(src)[0]
    attach_bytes(src, pid, [("照片.jpg", b"\xff\xd8\xff" + bytes(range(256)) * 10)])
    dest = open_ledger(pg_url, user="测试员")
    try:
        result = ledger_copy.copy_ledger(src, dest)
        assert result.problems == 30 and result.tables == ledger_copy.digest(src)
        assert check_ledger(dest).ok
        back = tmp_path / "取回.sqlite"
        from tracker.db.backup import backup_to

        backup_to(dest, back)
        again = open_ledger(back, user="测试员", auto_backup=False)
        try:
            assert ledger_copy.digest(again) == ledger_copy.digest(src)
            assert check_ledger(again).ok
        finally:
            again.close()
    finally:
        dest.close()
        src.close()


def test_copy_refuses_a_target_that_holds_records(tmp_path: Path, ledger: Ledger) -> None:
    problems.create_problem(ledger, ProblemInput("已有问题"))
    src = open_ledger(tmp_path / "a.sqlite", user="测试员")
    try:
        with pytest.raises(Exception, match="已有数据"):
            ledger_copy.copy_ledger(src, ledger)
    finally:
        src.close()
    assert [p.description for p in queries.list_problems(ledger)] == ["已有问题"]


def test_a_server_backup_is_an_ordinary_ledger_file(ledger: Ledger) -> None:
    _demo(ledger, 12)
    info = backup_now(ledger)
    assert info.path.suffix == ".sqlite" and info.path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert list_backups(ledger.path)[0].path == info.path
    led = open_ledger(info.path, user="测试员", auto_backup=False)
    try:
        assert len(queries.list_problems(led)) == 12
    finally:
        led.close()


def test_two_clients_writing_at_once_lose_nothing(pg_url: str) -> None:
    a, b = open_ledger(pg_url, user="甲"), open_ledger(pg_url, user="乙")
    errors: list[BaseException] = []

    def work(led: Ledger, who: str) -> None:
        try:
            for i in range(15):
                problems.create_problem(led, ProblemInput(f"{who}的问题{i}",
                                                          measures=(MeasureInput("措施"),)))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(led, who)) for led, who in ((a, "甲"), (b, "乙"))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        rows = queries.list_problems(a)
        assert len(rows) == 30 and len({(r.source_id, r.seq) for r in rows}) == 30
    finally:
        a.close()
        b.close()


def test_dates_and_times_read_back_as_dates(ledger: Ledger) -> None:
    row = problems.create_problem(ledger, ProblemInput("问题", measures=(
        MeasureInput("措施", deadline_text="2026年12月31日"),)))
    got = queries.get_problem(ledger, row.id)
    assert got.measures[0].deadline == dt.date(2026, 12, 31)
    assert got.created_on == TODAY and isinstance(got.updated_at, dt.datetime)


def test_another_clients_change_is_announced_within_a_second(pg_url: str) -> None:
    a, b = open_ledger(pg_url, user="甲"), open_ledger(pg_url, user="乙")
    listener = a.listen()
    try:
        made = problems.create_problem(b, ProblemInput("乙新建的问题"))
        assert made.id in listener.poll(timeout=1.0)
        problems.delete_problem(b, made.id)
        assert listener.poll(timeout=1.0) == {made.id}
        assert listener.poll(timeout=0.1) == set()
    finally:
        listener.close()
        a.close()
        b.close()


def test_a_file_ledger_has_no_listener(tmp_path: Path) -> None:
    led = open_ledger(tmp_path / "x.sqlite")
    try:
        assert led.listen() is None
    finally:
        led.close()


def test_two_clients_saving_the_same_problem_refuse_the_stale_save(pg_url: str) -> None:
    from tracker.errors import ConflictError

    a, b = open_ledger(pg_url, user="甲"), open_ledger(pg_url, user="乙")
    try:
        row = problems.create_problem(a, ProblemInput("同一个问题"))
        seen_a, seen_b = queries.get_problem(a, row.id), queries.get_problem(b, row.id)
        problems.update_problem(a, row.id, ProblemInput("甲改过的问题"),
                                expected_version=seen_a.version)
        with pytest.raises(ConflictError):
            problems.update_problem(b, row.id, ProblemInput("乙改过的问题"),
                                    expected_version=seen_b.version)
        assert queries.get_problem(b, row.id).description == "甲改过的问题"
        from tracker.services.history import list_history

        assert {c.user for c in list_history(a)} == {"甲"}
    finally:
        a.close()
        b.close()


def test_a_read_only_open_still_gives_the_server_ledger_its_id(pg_url: str) -> None:
    from tracker.services.identity import ledger_identity

    open_ledger(pg_url).close()
    reader = open_ledger(pg_url, read_only=True)
    try:
        made = ledger_identity(reader)
        assert len(made) == 32 and ledger_identity(reader) == made
    finally:
        reader.close()


def test_two_clients_creating_one_new_ledger_at_once_make_it_once(pg_server,
                                                                   tmp_path: Path,
                                                                   monkeypatch) -> None:
    from tracker.services.reference import list_categories

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    name = "fresh_" + tmp_path.name.lower().replace("-", "_")[-20:]
    pg_server.admin(f"CREATE DATABASE {name}")  # empty: the first open creates the tables
    opened: list[Ledger] = []
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            opened.append(open_ledger(pg_server.url(name)))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert not errors, errors
        names = [c.name for c in list_categories(opened[0])]
        assert names and len(names) == len(set(names))
    finally:
        for led in opened:
            led.close()
        pg_server.drop(name)
