"""The side panel's counts agree with what each filter actually lists."""

from __future__ import annotations

import datetime as dt

from tracker.demo import build_demo
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.services.counts import filter_counts
from tracker.services.problems import create_problem
from tracker.services.queries import count_problems

TODAY = dt.date(2026, 11, 23)


def test_every_count_equals_the_number_its_filter_lists(ledger):
    build_demo(ledger, 150, today=TODAY)
    c = filter_counts(ledger, TODAY, 7, 30)
    assert c.total == count_problems(ledger) == 150
    assert c.overdue == count_problems(ledger, ProblemFilter(overdue=True, as_of=TODAY)) > 0
    assert c.due_soon == count_problems(ledger, ProblemFilter(due_within_days=7, as_of=TODAY))
    assert c.due_later == count_problems(ledger, ProblemFilter(due_within_days=30, as_of=TODAY))
    assert c.due_soon <= c.due_later
    for status, n in c.by_status:
        assert n == count_problems(ledger, ProblemFilter(status=status))
    assert sum(n for _s, n in c.by_status) == 150
    for entry in c.by_source:
        assert entry.count == count_problems(ledger, ProblemFilter(source_id=int(entry.key)))
    for entry in c.by_unit:
        assert entry.count == count_problems(ledger, ProblemFilter(unit=str(entry.key))) > 0
    for entry in c.by_category:
        assert entry.count == count_problems(ledger, ProblemFilter(category_id=int(entry.key)))


def test_a_unit_leading_only_a_measure_is_counted_once_per_problem(ledger):
    create_problem(ledger, ProblemInput("缺编", lead_unit="市教育局", measures=(
        MeasureInput("招聘", lead_unit="市人社局", deadline_text="2026年12月1日"),
        MeasureInput("核编", lead_unit="市人社局", deadline_text="2026年11月1日",
                     status=Status.IN_PROGRESS))))
    c = filter_counts(ledger, TODAY)
    assert {e.name: e.count for e in c.by_unit} == {"市教育局": 1, "市人社局": 1}
    assert (c.total, c.overdue, c.due_soon, c.due_later) == (1, 1, 0, 0)


def test_empty_ledger_counts_nothing(ledger):
    c = filter_counts(ledger, TODAY)
    assert (c.total, c.overdue, c.by_unit, c.by_source) == (0, 0, (), ())
    assert c.status_count(Status.DONE) == 0
