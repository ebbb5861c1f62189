"""The rule that derives a problem's status and deadline from its measures."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain import DeadlineKind, Status
from tracker.rollup import MeasureFacts, problem_status, roll_up

S = Status


def test_problem_without_measures_is_not_started() -> None:
    assert problem_status([]) is S.NOT_STARTED


def test_all_measures_closed_means_problem_closed() -> None:
    assert problem_status([S.CLOSED, S.CLOSED]) is S.CLOSED


def test_done_and_closed_mixed_means_done_awaiting_closeout() -> None:
    assert problem_status([S.DONE, S.CLOSED]) is S.DONE


def test_every_open_measure_ongoing_means_ongoing() -> None:
    assert problem_status([S.ONGOING, S.DONE]) is S.ONGOING
    assert problem_status([S.ONGOING]) is S.ONGOING


def test_nothing_started_means_not_started() -> None:
    assert problem_status([S.NOT_STARTED, S.NOT_STARTED]) is S.NOT_STARTED


def test_any_other_mix_is_in_progress() -> None:
    assert problem_status([S.NOT_STARTED, S.DONE]) is S.IN_PROGRESS
    assert problem_status([S.NOT_STARTED, S.ONGOING]) is S.IN_PROGRESS
    assert problem_status([S.IN_PROGRESS]) is S.IN_PROGRESS


def test_problem_deadline_is_latest_dated_deadline_and_open_deadline_earliest_open() -> None:
    r = roll_up([
        MeasureFacts(S.DONE, dt.date(2027, 7, 31), DeadlineKind.DATED, "明年7月底前"),
        MeasureFacts(S.IN_PROGRESS, dt.date(2026, 12, 31), DeadlineKind.DATED, "年底前"),
        MeasureFacts(S.ONGOING, None, DeadlineKind.ONGOING, "长期坚持"),
    ])
    assert r.deadline == dt.date(2027, 7, 31)
    assert r.deadline_text == "明年7月底前"
    assert r.open_deadline == dt.date(2026, 12, 31)
    assert (r.total, r.done) == (3, 1)


def test_only_ongoing_measures_print_as_long_term() -> None:
    r = roll_up([MeasureFacts(S.ONGOING, None, DeadlineKind.ONGOING, "常态化")])
    assert r.deadline is None and r.deadline_text == "长期坚持"


statuses = st.lists(st.sampled_from(list(Status)), max_size=6)


@given(statuses)
def test_rollup_is_closed_only_when_every_measure_is_closed(ss: list[Status]) -> None:
    assert (problem_status(ss) is S.CLOSED) == (bool(ss) and all(s is S.CLOSED for s in ss))


@given(statuses)
def test_rollup_is_open_exactly_when_some_measure_is_open(ss: list[Status]) -> None:
    if ss:
        assert problem_status(ss).is_open == any(s.is_open for s in ss)


def test_an_ongoing_measure_with_a_date_beside_it_is_never_overdue() -> None:
    r = roll_up([MeasureFacts(S.ONGOING, dt.date(2025, 12, 31), DeadlineKind.DATED, "2025年底前完成，长期坚持")])
    assert r.open_deadline is None and r.deadline == dt.date(2025, 12, 31)


def test_completion_date_follows_one_rule() -> None:
    from tracker.rollup import done_on_for

    day, stored, today = dt.date(2026, 5, 1), dt.date(2026, 4, 1), dt.date(2026, 11, 23)
    assert done_on_for(S.IN_PROGRESS, day, stored, today=today) is None
    assert done_on_for(S.DONE, day, stored, today=today) == day
    assert done_on_for(S.DONE, None, stored, today=today) == stored
    assert done_on_for(S.CLOSED, None, None, today=today) == today
