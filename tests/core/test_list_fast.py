"""`rectify list`, `list --json` and `summary --by-unit` read the driver's tuples
(tracker.services.list_read, summary_facts) instead of building a row object per problem: their
output must be byte for byte what the service path gives, on a demo ledger with extensions,
evidence, closed problems, a problem outside GBK and without source or unit, for every filter
and for past and future as-of days."""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tracker.cli import ledger_cmds
from tracker.cli.common import clip, dump_json, width
from tracker.cli.list_output import LIST_HEADERS, LIST_WIDTHS, write_json_chunks
from tracker.cli.main import main
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker import summary_model
from tracker.services import summary_facts, summary_plain, unit_table
from tracker.services.as_of import problems_as_of
from tracker.services.cycle import extend, extensions_by_measure
from tracker.services.evidence import attach_bytes
from tracker.services.list_read import json_chunks
from tracker.services.lookup import numbered_lines
from tracker.services.problems import create_problem
from tracker.services.queries import ProblemLine, line_of, list_problems
from tracker.units import split_co_units

PAST = TODAY - dt.timedelta(days=200)
FUTURE = TODAY + dt.timedelta(days=400)
ODD = "𠮷野家食堂😀留样不规范"


def _fill(led: Ledger) -> None:
    """The demo's 60 problems, extensions (one of an undated measure), evidence, and a
    problem with characters outside GBK and neither source nor unit."""
    from tracker.demo import build_demo

    build_demo(led, 60, today=TODAY)
    open_measures = [m for p in list_problems(led, with_measures=True) for m in p.measures
                     if m.status.is_open and m.status is not Status.ONGOING and m.deadline]
    extend(led, open_measures[0].id, "2027年6月底前", "资金未到位", "王局长", on=TODAY)
    extend(led, open_measures[0].id, "2027年9月底前", "再次延期", "王局长", on=TODAY)
    extend(led, open_measures[5].id, "2027年3月31日", "施工期长", on=TODAY - dt.timedelta(days=9))
    odd = create_problem(led, ProblemInput(description=ODD, co_units="𠮷镇中心校、市财政局",
                                           measures=(MeasureInput("每餐留样😀"),)))
    extend(led, odd.measures[0].id, "2027年1月底前", "补定时限", on=TODAY)
    rows = list_problems(led)
    attach_bytes(led, rows[3].id, [("照片.jpg", b"\xff\xd8data"), ("方案.docx", b"PK")])
    attach_bytes(led, odd.id, [("𠮷.pdf", b"%PDF")], measure_id=odd.measures[0].id,
                 note="留样记录")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A filled demo ledger file, built once for the module."""
    path = tmp_path_factory.mktemp("listfast") / "demo.sqlite"
    led = open_ledger(path, user="测试员")
    try:
        _fill(led)
    finally:
        led.close()
    yield path


@pytest.fixture
def led(demo_db: Path) -> Iterator[Ledger]:
    """The demo ledger, opened read-only for one test."""
    ledger = open_ledger(demo_db, read_only=True)
    yield ledger
    ledger.close()


def _filters(led: Ledger) -> list[list[str]]:
    """Every filter of `list`, alone and combined."""
    rows = list_problems(led, with_measures=True)
    unit = next(p.lead_unit for p in rows if p.lead_unit)
    measure_only = next((m.lead_unit for p in rows for m in p.measures
                         if m.lead_unit and m.lead_unit not in {q.lead_unit for q in rows}), unit)
    source = str(next(p.source_id for p in rows if p.source_id))
    return [[], ["--overdue"], ["--unit", unit], ["--unit", measure_only], ["--unit", "市财政局"],
            ["--source", source], ["--unit", unit, "--overdue"], ["--source", source, "--unit", unit],
            *(["--status", s.value] for s in Status)]


def _run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["--db", str(db), *args]) == 0
    return capsys.readouterr().out


def _table(lines: list[tuple[int, ProblemLine]]) -> str:
    """The list table written cell by cell from the service's lines (the oracle)."""
    widths = list(LIST_WIDTHS)
    widths[2] = max([width(p.source) for _, p in lines] + [widths[2]])
    widths[4] = max([width(p.lead_unit) for _, p in lines] + [widths[4]])
    widths[0] = max([widths[0]] + [len(str(pid)) for pid, _ in lines])
    out = ["  ".join(clip(h, w) for h, w in zip(LIST_HEADERS, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    for pid, p in lines:
        state = ("措施逾期 " if p.overdue else "") + p.status.label
        cells = [str(pid).ljust(widths[0]), str(p.seq), p.source, p.description, p.lead_unit,
                 p.deadline_text, state, f"{p.measures_done}/{p.measures_total}"]
        out.append("  ".join([cells[0]] + [clip(c, w) for c, w in zip(cells[1:], widths[1:])])
                   .rstrip())
    return "\n".join(out) + f"\n共 {len(lines)} 个问题\n"


def _flt(led: Ledger, args: list[str], as_of: dt.date) -> ProblemFilter:
    from tracker.cli.common import filter_from
    from tracker.cli.main import build_parser

    return filter_from(build_parser().parse_args(["list", *args]), led, as_of)


@pytest.mark.parametrize("as_of", [TODAY, FUTURE, PAST])
def test_list_table_is_the_services_lines(demo_db: Path, led: Ledger,
                                          capsys: pytest.CaptureFixture[str],
                                          as_of: dt.date) -> None:
    for args in _filters(led):
        flt = _flt(led, args, as_of)
        if as_of < TODAY:
            lines = [(p.id, line_of(p, as_of)) for p in problems_as_of(led, flt, as_of)]
        else:
            lines = numbered_lines(led, flt, as_of=as_of)
        out = _run(demo_db, capsys, "list", *args, "--as-of", as_of.isoformat())
        assert out == _table(lines), args
        assert as_of < TODAY or args or len(lines) == 61


def _service_json(led: Ledger, flt: ProblemFilter, as_of: dt.date) -> str:
    """`list --json` as the service path writes it: whole ProblemRows, dumped at once."""
    rows = (problems_as_of(led, flt, as_of) if as_of < TODAY
            else list_problems(led, flt, with_measures=True))
    extras = ledger_cmds.JsonExtras.read(led, rows)
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    real, sys.stdout = sys.stdout, out
    try:
        dump_json([ledger_cmds.problem_json(p, as_of, extras) for p in rows])
    finally:
        sys.stdout = real
    out.flush()
    return out.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("as_of", [TODAY, FUTURE, PAST])
def test_list_json_is_the_services_json(demo_db: Path, led: Ledger,
                                        capsys: pytest.CaptureFixture[str],
                                        as_of: dt.date) -> None:
    for args in _filters(led):
        out = _run(demo_db, capsys, "list", "--json", *args, "--as-of", as_of.isoformat())
        assert out == _service_json(led, _flt(led, args, as_of), as_of), args
    everything = _run(demo_db, capsys, "list", "--json", "--as-of", as_of.isoformat())
    for word in ("资金未到位", "未明确时限", "照片.jpg", "留样记录", ODD, '"percent"'):
        assert as_of < TODAY or word in everything  # the fixture reaches every branch


@pytest.mark.parametrize("chunk", [1, 7])
def test_list_json_chunks_do_not_change_the_bytes(
        demo_db: Path, led: Ledger, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(ledger_cmds, "JSON_CHUNK", chunk)
    assert _run(demo_db, capsys, "list", "--json") == _service_json(led, ProblemFilter(), TODAY)


def test_list_json_on_a_gbk_stream_escapes_as_json_dump_does(
        led: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = list_problems(led, with_measures=True)
    extras = ledger_cmds.JsonExtras.read(led, rows)
    outs = []
    for write in (lambda: dump_json([ledger_cmds.problem_json(p, TODAY, extras) for p in rows]),
                  lambda: write_json_chunks(json_chunks(led, ProblemFilter(), 5) or [], TODAY)):
        out = io.TextIOWrapper(io.BytesIO(), encoding="gbk", errors="strict")
        monkeypatch.setattr(sys, "stdout", out)
        write()
        out.flush()
        outs.append(out.buffer.getvalue())  # type: ignore[attr-defined]
    assert outs[0] == outs[1]
    assert b"\\ud842\\udfb7" in outs[1]  # 𠮷, escaped


def _unit_facts_from_rows(led: Ledger, flt: ProblemFilter, day: dt.date
                          ) -> summary_model.UnitFacts:
    """What unit_facts reads in SQL, worked out from whole ProblemRows (the oracle)."""
    rows = list_problems(led, flt, with_measures=True)
    links = {(p.id, u) for p in rows for u in [p.lead_unit, *(m.lead_unit for m in p.measures)]
             if u}
    co = {(p.id, n) for p in rows for t in [p.co_units, *(m.co_units for m in p.measures)] if t
          for n in split_co_units(t)}
    by_measure = extensions_by_measure(led, [m.id for p in rows for m in p.measures])
    extended = {p.id: n for p in rows
                if (n := sum(1 for m in p.measures
                             if any(e.on <= day for e in by_measure.get(m.id, []))))}
    return summary_model.UnitFacts(
        {p.id: summary_model.ProblemFacts(p.status, p.deadline, p.open_deadline) for p in rows},
        tuple(sorted(links)), extended, tuple(sorted(co)))


@pytest.mark.parametrize("as_of", [TODAY, FUTURE])
def test_summary_by_unit_reads_what_the_rows_say(
        demo_db: Path, led: Ledger, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, as_of: dt.date) -> None:
    for args in [[], ["--unit", "市财政局"], ["--source", "1"]]:
        flt = _flt(led, args, as_of)
        oracle = _unit_facts_from_rows(led, flt, as_of)
        found = summary_facts.unit_facts(led, flt, as_of)
        assert found.facts == oracle.facts
        assert sorted(found.links) == list(oracle.links)
        assert found.extended == oracle.extended
        assert found.co_links == oracle.co_links
        cmd = ["summary", "--by-unit", *args, "--as-of", as_of.isoformat()]
        fast = _run(demo_db, capsys, *cmd)
        with monkeypatch.context() as m:
            # Today and later the table is tallied without unit_facts: give the normal path
            # the oracle's tallies (and take it: no plain sqlite3 read).
            m.setattr(summary_plain, "plain_summary", lambda *_: None)
            m.setattr(unit_table, "unit_tallies_with_summary", lambda led, flt, day: (
                unit_table.summary_and_tallies(led, flt, day, by_unit=False)[0],
                summary_model.tallies_of(oracle, day)))
            assert _run(demo_db, capsys, *cmd) == fast
    assert found.extended  # the fixture's extensions are counted


def test_list_on_a_server_ledger_is_the_services_lines(
        pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    server = open_ledger(pg_url, user="测试员")
    try:
        _fill(server)
        for args in [[], ["--overdue"], ["--unit", "市财政局"]]:
            flt = _flt(server, args, TODAY)
            out = _run(pg_url, capsys, "list", *args)  # type: ignore[arg-type]
            assert out == _table(numbered_lines(server, flt, as_of=TODAY)), args
            assert (_run(pg_url, capsys, "list", "--json", *args)  # type: ignore[arg-type]
                    == _service_json(server, flt, TODAY))
    finally:
        server.close()
