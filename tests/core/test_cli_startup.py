"""Start-up of `rectify`: building the parser loads no command's services (each command
imports them when it runs), and `summary --by-unit` counts today's ledger grouped
(unit_table.unit_tallies, and the plain sqlite3 path) exactly as it counts the per-problem
facts (tallies_of)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tests.core.test_unit_table import _fill_units
from tracker.cli.common import filter_from
from tracker.cli.main import build_parser, main
from tracker.db.engine import Ledger, open_ledger
from tracker import summary_model
from tracker.domain import ProblemFilter
from tracker.services import summary_facts, summary_plain, unit_table

FUTURE = TODAY + dt.timedelta(days=400)

# Modules only some commands use: none may load while the parser is built.
NOT_AT_START = [
    "tracker.services.cycle", "tracker.services.evidence", "tracker.services.history",
    "tracker.services.measures", "tracker.services.problems", "tracker.services.lookup",
    "tracker.db.backup", "tracker.db.restore", "tracker.db.copy", "openpyxl",
    "logging.handlers", "sqlalchemy", "tracker.db.engine", "tracker.db.server",
]  # (tracker.summary does load, without SQLAlchemy: the report command's template names
#    come with it). `rectify summary` of a whole file reads it before SQLAlchemy loads.


def test_building_the_parser_loads_no_command_services() -> None:
    code = ("import sys; from tracker.cli.main import build_parser; build_parser(); "
            f"print(','.join(m for m in {NOT_AT_START!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert [m for m in out.stdout.strip().split(",") if m] == []


@pytest.fixture(scope="module")
def units_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The list tests' demo ledger plus problems whose co-units name their own lead units
    (of the problem, of a measure) and a measure led by the problem's own lead unit
    (test_unit_table's ledger)."""
    path = tmp_path_factory.mktemp("startup") / "units.sqlite"
    led = open_ledger(path, user="测试员")
    try:
        _fill_units(led)
    finally:
        led.close()
    yield path


@pytest.fixture
def units_led(units_db: Path) -> Iterator[Ledger]:
    """The ledger, read-only for one test."""
    ledger = open_ledger(units_db, read_only=True)
    yield ledger
    ledger.close()


def _grouped(t: summary_model.UnitTallies) -> tuple[dict[object, tuple[int, int]], dict[str, int]]:
    """The tallies without their order (rows of one (unit, facts) added up)."""
    leads: dict[object, tuple[int, int]] = {}
    for unit, facts, n, extended in t.leads:
        old = leads.get((unit, facts), (0, 0))
        leads[unit, facts] = (old[0] + n, old[1] + extended)
    return leads, t.cooperating


@pytest.mark.parametrize("as_of", [TODAY, FUTURE])
@pytest.mark.parametrize("args", [[], ["--unit", "市财政局"], ["--unit", "新单位"],
                                  ["--source", "1"], ["--status", "done"], ["--overdue"]])
def test_unit_tallies_are_the_per_problem_facts_counted(
        units_led: Ledger, as_of: dt.date, args: list[str]) -> None:
    flt = filter_from(build_parser().parse_args(["list", *args]), units_led, as_of)
    fast = unit_table.unit_tallies(units_led, flt, as_of)
    slow = summary_model.tallies_of(summary_facts.unit_facts(units_led, flt, as_of), as_of)
    assert _grouped(fast) == _grouped(slow)
    if not args:
        assert fast.cooperating["市人社局"] and "市财政局" in fast.cooperating
        assert any(extended > 1 for *_rest, extended in fast.leads)


def test_summary_by_unit_prints_the_per_problem_count(
        units_db: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    cmd = ["--db", str(units_db), "summary", "--by-unit", "--as-of", TODAY.isoformat()]
    assert main(cmd) == 0
    fast = capsys.readouterr().out
    monkeypatch.setattr(summary_plain, "plain_summary", lambda *_: None)  # the normal path
    monkeypatch.setattr(unit_table, "unit_tallies_with_summary", lambda led, flt, day: (
        unit_table.summary_and_tallies(led, flt, day, by_unit=False)[0],
        summary_model.tallies_of(summary_facts.unit_facts(led, flt, day), day)))
    assert main(cmd) == 0
    assert capsys.readouterr().out == fast
    assert "新单位" in fast


def test_a_ledger_without_problems_has_no_tallies(tmp_path: Path) -> None:
    led = open_ledger(tmp_path / "empty.sqlite", user="测试员")
    try:
        assert unit_table.unit_tallies(led, ProblemFilter(), TODAY) == (
            summary_model.UnitTallies((), {}))
    finally:
        led.close()
