"""`rectify summary` of a whole ledger file read with plain sqlite3 (services/summary_plain):
the same SQL text as the service's statements, the same counts, no SQLAlchemy loaded, and the
normal path for everything it does not serve."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import and_
from sqlalchemy.dialects import sqlite

from tests.conftest import TODAY
from tests.core.test_unit_table import FUTURE, _fill_units, _grouped
from tracker.cli.main import main
from tracker.db.backup import list_backups, taken_today
from tracker.db.engine import open_ledger
from tracker.domain import ProblemFilter
from tracker.services import summary_plain, unit_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def units_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A filled ledger file (demo, extensions, co-units naming their own lead units)."""
    path = tmp_path_factory.mktemp("plain") / "units.sqlite"
    led = open_ledger(path, user="测试员")
    try:
        _fill_units(led)
    finally:
        led.close()
    open_ledger(path, read_only=True).close()  # the day's first open takes its backup
    assert taken_today(path)
    yield path


@pytest.mark.parametrize("day", [TODAY, FUTURE, dt.date(2031, 2, 28)])
def test_the_sql_is_the_services_statements_as_sqlite_compiles_them(day: dt.date) -> None:
    stmts = unit_table.statements(day, and_(True), filtered=False)
    assert set(stmts) == set(summary_plain.SQL)
    for key, stmt in stmts.items():
        compiled = str(stmt.compile(dialect=sqlite.dialect(),
                                    compile_kwargs={"literal_binds": True}))
        assert summary_plain.SQL[key].replace(":day", f"'{day.isoformat()}'") == compiled, key


@pytest.mark.parametrize("day", [TODAY, FUTURE])
@pytest.mark.parametrize("by_unit", [True, False])
def test_the_plain_read_counts_as_the_service(units_file: Path, day: dt.date,
                                              by_unit: bool) -> None:
    found = summary_plain.plain_summary(units_file, day, by_unit)
    assert found is not None
    led = open_ledger(units_file, read_only=True)
    try:
        facts, tallies = unit_table.summary_and_tallies(led, ProblemFilter(as_of=day), day,
                                                        by_unit)
    finally:
        led.close()
    assert dict(found[0].groups) == dict(facts.groups)
    assert (found[0].measures, found[0].extended) == (facts.measures, facts.extended)
    assert facts.extended >= 4  # the fixture's extensions are in the count
    if by_unit:
        assert _grouped(found[1]) == _grouped(tallies)
    else:
        assert found[1] is None


def test_summary_of_a_whole_file_loads_no_sqlalchemy(units_file: Path) -> None:
    code = ("import sys; from tracker.cli.main import main; "
            f"rc = main(['--db', {str(units_file)!r}, 'summary', '--by-unit']); "
            "print('LOADED' if 'sqlalchemy' in sys.modules else 'PLAIN', rc)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, encoding="utf-8")
    assert out.stdout.strip().splitlines()[-1] == "PLAIN 0"
    assert "截至" in out.stdout and "新单位" in out.stdout


def _outputs(path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
             *args: str) -> tuple[str, str]:
    """The command's output read plainly, and read by the normal path."""
    assert main(["--db", str(path), "summary", *args]) == 0
    plain = capsys.readouterr().out
    with monkeypatch.context() as m:
        m.setattr(summary_plain, "plain_summary", lambda *_: None)
        assert main(["--db", str(path), "summary", *args]) == 0
    return plain, capsys.readouterr().out


@pytest.mark.parametrize("args", [[], ["--by-unit"], ["--by-unit", "--as-of", str(FUTURE)]])
def test_the_command_prints_the_same_either_way(
        units_file: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    plain, normal = _outputs(units_file, capsys, monkeypatch, *args)
    assert plain == normal and plain.startswith("截至")


def test_files_it_does_not_serve_take_the_normal_path(
        units_file: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.sqlite"
    shutil.copy(units_file, older)
    with sqlite3.connect(older) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0005'")
    conn.close()
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    text = tmp_path / "台账.xlsx"
    text.write_bytes(b"PK\x03\x04 not a database")
    for target in [older, foreign, text, tmp_path / "missing.sqlite", tmp_path,
                   "postgresql://clerk@server/ledger", "postgresql:/clerk@server/ledger"]:
        assert summary_plain.plain_summary(target, TODAY, True) is None, target


def test_filters_and_past_days_take_the_normal_path(
        units_file: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("the plain read serves a whole file today or later only")

    monkeypatch.setattr(summary_plain, "plain_summary", refuse)
    for args in [["--unit", "市财政局"], ["--source", "1"],
                 ["--as-of", str(TODAY - dt.timedelta(days=1))]]:
        assert main(["--db", str(units_file), "summary", "--by-unit", *args]) == 0
        assert re.match("截至", capsys.readouterr().out)
    # An empty unit is a filter too: refused by name, not answered for the whole ledger.
    assert main(["--db", str(units_file), "summary", "--unit", ""]) != 0
    assert "单位" in capsys.readouterr().err


def test_the_days_first_summary_takes_the_automatic_backup(units_file: Path,
                                                            tmp_path: Path) -> None:
    fresh = tmp_path / "今天第一次.sqlite"
    shutil.copy(units_file, fresh)
    assert not taken_today(fresh)
    code = ("import sys; from tracker.cli.main import main; "
            f"rc = main(['--db', {str(fresh)!r}, 'summary']); "
            "print('LOADED' if 'sqlalchemy' in sys.modules else 'PLAIN', rc)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=ROOT, encoding="utf-8").stdout for _ in range(2)]
    assert runs[0].splitlines()[-1] == "LOADED 0" and taken_today(fresh)
    assert runs[1].splitlines()[-1] == "PLAIN 0" and len(list_backups(fresh)) == 1
    assert runs[0].splitlines()[0] == runs[1].splitlines()[0]  # the same sentence
