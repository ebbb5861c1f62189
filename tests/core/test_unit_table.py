"""Today's summary facts and per-unit tallies (unit_table.summary_and_tallies: two scans
counted in C) against the per-problem oracle (unit_facts → tallies_of, and the facts of
every listed problem), on both stores, with co-units naming their own lead units, measures
led by other units or the problem's own, extended measures, and every filter."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tests.conftest import TODAY
from tests.core.test_list_fast import _fill
from tracker import summary_model
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.services import summary_facts, unit_table
from tracker.services.cycle import extend
from tracker.services.problems import create_problem
from tracker.services.queries import list_problems

FUTURE = TODAY + dt.timedelta(days=400)


def _fill_units(led: Ledger) -> None:
    """The list tests' ledger plus problems whose co-units name their own lead units."""
    _fill(led)
    create_problem(led, ProblemInput(
        description="食堂台账不全", lead_unit="市财政局", co_units="市财政局、市教育局、新单位",
        measures=(MeasureInput("补齐台账", lead_unit="市财政局", co_units="市人社局",
                               deadline_text="2027年3月底前"),
                  MeasureInput("建立制度", lead_unit="市教育局", co_units="市教育局、市人社局",
                               status=Status.DONE))))
    twice = create_problem(led, ProblemInput(
        description="两项措施都延期", lead_unit="市教育局", co_units="市体育局",
        measures=(MeasureInput("改造", lead_unit="市体育局", deadline_text="2027年1月底前"),
                  MeasureInput("验收", lead_unit="市人社局", deadline_text="2027年2月底前"))))
    for m in twice.measures:
        extend(led, m.id, "2027年6月底前", "资金未到位", on=TODAY)
    create_problem(led, ProblemInput(
        description="只有措施有单位", co_units="新单位",
        measures=(MeasureInput("整改", lead_unit="新单位", deadline_text="长期坚持"),)))
    create_problem(led, ProblemInput(description="没有措施只有配合单位", lead_unit="市教育局",
                                     co_units="市民政局、市教育局"))


def _grouped(t: summary_model.UnitTallies | None) -> tuple[dict[object, tuple[int, int]],
                                                         dict[str, int]]:
    """The tallies without their order (rows of one (unit, state) added up)."""
    assert t is not None
    leads: dict[object, tuple[int, int]] = {}
    for unit, state, n, extended in t.leads:
        old = leads.get((unit, state), (0, 0))
        leads[unit, state] = (old[0] + n, old[1] + extended)
    return leads, t.cooperating


FILTERS = [ProblemFilter(), ProblemFilter(unit="市财政局"), ProblemFilter(unit="新单位"),
           ProblemFilter(status=Status.DONE), ProblemFilter(overdue=True),
           ProblemFilter(text="食堂")]


@pytest.mark.parametrize("day", [TODAY, FUTURE])
def test_the_read_counts_what_each_problem_says(ledger: Ledger, day: dt.date) -> None:
    _fill_units(ledger)
    for flt in FILTERS:
        flt = ProblemFilter(**{**flt.__dict__, "as_of": day})
        facts, tallies = unit_table.summary_and_tallies(ledger, flt, day)
        oracle = summary_facts.unit_facts(ledger, flt, day)
        assert _grouped(tallies) == _grouped(summary_model.tallies_of(oracle, day)), flt
        rows = list_problems(ledger, flt, with_measures=True)
        assert dict(facts.groups) == dict(Counter(
            summary_model.ProblemFacts(p.status, p.deadline, p.open_deadline) for p in rows))
        assert facts.measures == sum(len(p.measures) for p in rows)
        assert facts.extended == sum(oracle.extended.values())
        assert unit_table.summary_and_tallies(ledger, flt, day, by_unit=False) == (facts, None)
        alone = summary_facts.summary_facts(ledger, flt, day)  # grouped by the server there
        assert (dict(alone.groups), alone.measures, alone.extended) == (
            dict(facts.groups), facts.measures, facts.extended)
    whole = _grouped(unit_table.unit_tallies(ledger, ProblemFilter(), day))
    assert whole[1]["新单位"] == 1 and whole[1]["市民政局"] == 1  # co-operates only
    two = [v for (unit, _s), v in whole[0].items() if unit == "市体育局"]
    assert sum(e for _n, e in two) == 2  # a problem's two extended measures, for each lead
