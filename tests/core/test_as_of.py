"""Answers as of a past day are the answers the ledger gave on that day: a ledger is edited day
by day (created, progressed, finished, closed out, reopened), the summary is written down each
evening, and afterwards the back-dated summary of every day must say exactly the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import clock
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.services import measures, problems
from tracker.services.as_of import problems_as_of
from tracker.services.closeout_settings import set_closeout_setting
from tracker.services.queries import get_problem
from tracker.summary import LedgerSummary, ledger_summary, sentence, unit_counts

START = dt.date(2026, 3, 2)
OPEN_STATES = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.ONGOING]

# One day's work: ("new", n measures, deadline offset) | ("status", pick, state, back-days)
# | ("close", pick) | ("reopen", pick)
actions = st.one_of(
    st.tuples(st.just("new"), st.integers(1, 3), st.integers(-20, 60)),
    st.tuples(st.just("status"), st.integers(0, 50),
              st.sampled_from([*OPEN_STATES, Status.DONE]), st.integers(0, 3)),
    st.tuples(st.just("close"), st.integers(0, 50)),
    st.tuples(st.just("reopen"), st.integers(0, 50)),
)


def _key(s: LedgerSummary) -> tuple[object, ...]:
    return (s.total, s.measures, s.completed, s.closed, s.groups, s.ongoing, s.undated,
            s.overdue, s.by_status)


def _check_parts(s: LedgerSummary) -> None:
    assert s.closed <= s.completed <= s.total
    assert s.completed + sum(g.count for g in s.groups) + s.ongoing + s.undated + s.overdue \
        == s.total


def _apply(led: Ledger, day: dt.date, action: tuple[object, ...], made: list[int]) -> None:
    kind = action[0]
    if kind == "new":
        _, n, offset = action
        due = day + dt.timedelta(days=int(offset))  # type: ignore[arg-type]
        row = problems.create_problem(led, ProblemInput(
            f"问题{len(made) + 1}", lead_unit="县教体局" if len(made) % 2 else "县财政局",
            measures=tuple(MeasureInput(f"措施{i}", deadline_text=due.isoformat())
                           for i in range(int(n)))))  # type: ignore[call-overload]
        made.append(row.id)
        return
    if not made:
        return
    p = get_problem(led, made[int(action[1]) % len(made)])  # type: ignore[call-overload]
    if kind == "status":
        state, back = action[2], int(action[3])  # type: ignore[call-overload]
        m = p.measures[back % len(p.measures)]
        if m.status is Status.CLOSED:
            return
        done_on = max(day - dt.timedelta(days=back), p.created_on or day)
        measures.set_measure_status(led, m.id, state, done_on=done_on)  # type: ignore[arg-type]
    elif kind == "close":
        if all(m.status in (Status.DONE, Status.ONGOING, Status.CLOSED) for m in p.measures) \
                and p.status is not Status.CLOSED:
            problems.close_out(led, p.id, "督导室", day, "核查到位")
    elif kind == "reopen" and not p.status.is_open:
        # 回头看 failed: the first measure is back in progress.
        measures.set_measure_status(led, p.measures[0].id, Status.IN_PROGRESS)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(days=st.lists(st.lists(actions, max_size=4), min_size=3, max_size=10))
def test_every_back_dated_summary_is_the_one_printed_that_day(
        tmp_path_factory: object, days: list[list[tuple[object, ...]]]) -> None:
    folder: Path = tmp_path_factory.mktemp("asof")  # type: ignore[attr-defined]
    evening: dict[dt.date, tuple[object, ...]] = {}
    evening_units: dict[dt.date, list[object]] = {}
    made: list[int] = []
    led = open_ledger(folder / "l.sqlite", user="测试员")
    set_closeout_setting(led, "closeout.needs_evidence", "否")  # evidence is tested elsewhere
    try:
        for i, work in enumerate(days):
            day = START + dt.timedelta(days=7 * i)
            with clock.fixed_today(day):
                for action in work:
                    _apply(led, day, action, made)
                s = ledger_summary(led, ProblemFilter(), day)
                _check_parts(s)
                evening[day] = _key(s)
                evening_units[day] = unit_counts(led, ProblemFilter(), day)
        with clock.fixed_today(START + dt.timedelta(days=7 * len(days) + 30)):
            for day, key in evening.items():
                back = ledger_summary(led, ProblemFilter(), day)
                _check_parts(back)
                assert _key(back) == key, (day, sentence(back))
                assert unit_counts(led, ProblemFilter(), day) == evening_units[day]
    finally:
        led.close()


def _one_problem(led: Ledger, created: dt.date) -> int:
    set_closeout_setting(led, "closeout.needs_evidence", "否")
    with clock.fixed_today(created):
        return problems.create_problem(led, ProblemInput("食堂留样不规范", lead_unit="县教体局", measures=(
            MeasureInput("开展检查", deadline_text="2026-06-30"),
            MeasureInput("建立制度", deadline_text="2026-09-30")))).id


def test_a_problem_closed_in_october_is_open_in_september(ledger: Ledger) -> None:
    pid = _one_problem(ledger, dt.date(2026, 3, 1))
    with clock.fixed_today(dt.date(2026, 8, 20)):
        for m in get_problem(ledger, pid).measures:
            measures.set_measure_status(ledger, m.id, Status.DONE)
    with clock.fixed_today(dt.date(2026, 10, 9)):
        problems.close_out(ledger, pid, "督导室", dt.date(2026, 10, 9))
    september = ledger_summary(ledger, ProblemFilter(), dt.date(2026, 9, 1))
    assert (september.total, september.completed, september.closed) == (1, 1, 0)
    assert "其中已销号" not in sentence(september) and "均已销号" not in sentence(september)
    july = ledger_summary(ledger, ProblemFilter(), dt.date(2026, 7, 15))
    assert (july.completed, july.overdue) == (0, 1)
    february = ledger_summary(ledger, ProblemFilter(), dt.date(2026, 2, 1))
    assert february.total == 0 and sentence(february).endswith("暂无整改问题。")
    row = problems_as_of(ledger, ProblemFilter(), dt.date(2026, 9, 1))[0]
    assert row.status is Status.DONE and row.closeout_on is None and row.closeout_by == ""
    assert row.created_on == dt.date(2026, 3, 1)


def test_a_measure_reopened_after_the_day_counts_as_done_on_it(ledger: Ledger) -> None:
    pid = _one_problem(ledger, dt.date(2026, 3, 1))
    with clock.fixed_today(dt.date(2026, 5, 10)):
        for m in get_problem(ledger, pid).measures:
            measures.set_measure_status(ledger, m.id, Status.DONE)
    with clock.fixed_today(dt.date(2026, 10, 1)):  # 回头看 found it slipping back
        measures.set_measure_status(ledger, get_problem(ledger, pid).measures[0].id,
                                    Status.IN_PROGRESS)
    assert ledger_summary(ledger, ProblemFilter(), dt.date(2026, 6, 1)).completed == 1
    assert ledger_summary(ledger, ProblemFilter(), dt.date(2026, 10, 2)).completed == 0
    done_then = problems_as_of(ledger, ProblemFilter(status=Status.DONE), dt.date(2026, 6, 1))
    assert [p.id for p in done_then] == [pid]
    assert problems_as_of(ledger, ProblemFilter(status=Status.DONE), dt.date(2026, 10, 2)) == []


def test_progress_notes_written_after_the_day_are_left_out(ledger: Ledger) -> None:
    pid = _one_problem(ledger, dt.date(2026, 3, 1))
    first = get_problem(ledger, pid).measures[0].id
    with clock.fixed_today(dt.date(2026, 4, 1)):
        measures.add_progress_note(ledger, first, dt.date(2026, 4, 1), "已制定方案")
    with clock.fixed_today(dt.date(2026, 6, 1)):
        measures.add_progress_note(ledger, first, dt.date(2026, 6, 1), "已完成检查")
    then = problems_as_of(ledger, ProblemFilter(), dt.date(2026, 5, 1), with_notes=True)[0]
    assert [n.text for n in then.measures[0].notes] == ["已制定方案"]


def test_the_overdue_list_of_a_past_day_is_the_list_of_that_day(ledger: Ledger) -> None:
    from tracker.services.queries import problem_ids

    pid = _one_problem(ledger, dt.date(2026, 3, 1))
    with clock.fixed_today(dt.date(2026, 10, 1)):
        for m in get_problem(ledger, pid).measures:
            measures.set_measure_status(ledger, m.id, Status.DONE)
    assert problem_ids(ledger, ProblemFilter(overdue=True)) == []
    assert problem_ids(ledger, ProblemFilter(overdue=True, as_of=dt.date(2026, 8, 1))) == [pid]
    assert problem_ids(ledger, ProblemFilter(overdue=True, as_of=dt.date(2026, 2, 1))) == []
