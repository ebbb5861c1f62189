"""The summary sentence and the counts behind it."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tracker import clock
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.services.problems import create_problem
from tracker.summary import ProblemFacts, ledger_summary, sentence, summarize, unit_counts

AS_OF = dt.date(2026, 11, 23)
S = Status


def facts(status: Status, deadline: dt.date | None = None,
          open_deadline: dt.date | None = None) -> ProblemFacts:
    return ProblemFacts(status, deadline, open_deadline)


def test_sentence_reads_like_a_report() -> None:
    items = (
        [facts(S.DONE)] * 10 + [facts(S.CLOSED)] * 5
        + [facts(S.IN_PROGRESS, dt.date(2026, 12, 31), dt.date(2026, 12, 31))] * 6
        + [facts(S.NOT_STARTED, dt.date(2027, 7, 31), dt.date(2027, 7, 31))] * 3
        + [facts(S.ONGOING)] * 2
        + [facts(S.IN_PROGRESS, dt.date(2026, 10, 31), dt.date(2026, 10, 31))]
    )
    text = sentence(summarize(items, AS_OF, measures=41))
    assert text == (
        "截至2026年11月23日，共梳理问题27个（整改措施41项），已整改完成15个（其中已销号5个），"
        "6个计划年底前完成，3个计划2027年7月底前完成，长期坚持2个，逾期未完成1个，"
        "整改完成率55.6%。"
    )


def test_empty_groups_are_left_out() -> None:
    text = sentence(summarize([facts(S.DONE)] * 4, AS_OF))
    assert text == "截至2026年11月23日，共梳理问题4个，已整改完成4个，整改完成率100%。"


def test_empty_ledger_says_so() -> None:
    assert sentence(summarize([], AS_OF)) == "截至2026年11月23日，暂无整改问题。"


def test_next_year_end_is_phrased_as_that_year_end() -> None:
    s = summarize([facts(S.IN_PROGRESS, dt.date(2027, 12, 31), dt.date(2027, 12, 31))], AS_OF)
    assert [g.label for g in s.groups] == ["2027年底前"]


def test_open_problem_with_no_deadline_is_counted_as_undated() -> None:
    s = summarize([facts(S.IN_PROGRESS)], AS_OF)
    assert s.undated == 1 and "1个尚未明确整改时限" in sentence(s)


fact_strategy = st.builds(
    ProblemFacts, st.sampled_from(list(Status)),
    st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))),
    st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))),
)


@given(st.lists(fact_strategy, max_size=40))
def test_the_parts_always_add_up_to_the_total(items: list[ProblemFacts]) -> None:
    s = summarize(items, AS_OF)
    assert s.completed + sum(g.count for g in s.groups) + s.ongoing + s.undated + s.overdue == (
        s.total) == len(items)


def test_summary_and_unit_table_from_a_real_ledger(ledger) -> None:
    create_problem(ledger, ProblemInput("a", lead_unit="市教育局", measures=(
        MeasureInput("m1", deadline_text="2026年10月1日", status=S.DONE),)))
    create_problem(ledger, ProblemInput("b", lead_unit="市教育局", measures=(
        MeasureInput("m1", deadline_text="2026年10月1日"),
        MeasureInput("m2", deadline_text="2027年7月", lead_unit="市财政局"),)))
    s = ledger_summary(ledger, ProblemFilter(), AS_OF)
    assert (s.total, s.measures, s.completed, s.overdue) == (2, 3, 1, 1)
    units = {u.unit: u for u in unit_counts(ledger, ProblemFilter(), AS_OF)}
    assert (units["市教育局"].total, units["市教育局"].completed, units["市教育局"].overdue) == (
        2, 1, 1)
    assert (units["市财政局"].total, units["市财政局"].overdue) == (1, 1)
    only = ledger_summary(ledger, ProblemFilter(unit="市财政局"), AS_OF)
    assert only.total == 1


def test_a_summary_dated_in_the_past_counts_later_completions_as_open(ledger) -> None:
    from tracker.services.measures import set_measure_status

    with clock.fixed_today(dt.date(2025, 6, 1)):  # recorded in the ledger since mid-2025
        row = create_problem(ledger, ProblemInput("a", measures=(
            MeasureInput("m1", deadline_text="2025年12月31日"),)))
    set_measure_status(ledger, row.measures[0].id, S.DONE, done_on=dt.date(2026, 9, 1))
    now = ledger_summary(ledger, ProblemFilter(), AS_OF)
    assert now.completed == 1
    then = ledger_summary(ledger, ProblemFilter(), dt.date(2025, 12, 1))
    assert (then.completed, sum(g.count for g in then.groups)) == (0, 1)
    later = ledger_summary(ledger, ProblemFilter(), dt.date(2026, 3, 1))
    assert (later.completed, later.overdue) == (0, 1)
