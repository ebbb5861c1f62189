"""Applying a plan: the bulk writer stores exactly what add_problem stores, progress is reported,
and cancelling from the progress callback leaves the ledger untouched."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.core.import_books import HEADER, standard_book, two_problem_rows
from tracker.db.engine import Ledger, open_ledger
from tracker.db.orm import ChangeLog, Problem
from tracker.domain import ProblemRow, SourceInput
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.services.imports import apply_plan
from tracker.services.measures import add_progress_note
from tracker.services.problems import create_problem
from tracker.services.queries import list_problems
from tracker.services.reference import create_source, list_sources, list_units

TODAY = dt.date(2026, 11, 23)


def comparable(p: ProblemRow) -> dict[str, object]:
    """A problem as the clerk sees it: everything but ids, versions and timestamps."""
    out = dataclasses.asdict(p)
    for key in ("id", "updated_at", "version", "source_id", "category_id"):
        out.pop(key)
    for m in out["measures"]:
        for key in ("id", "problem_id", "version"):
            m.pop(key)
        for n in m["notes"]:
            n.pop("id")
            n.pop("measure_id")
    return out


def stored_extras(ledger: Ledger) -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """The cached search text of each problem, and the history lines about problems."""
    with ledger.read() as s:
        search = list(s.scalars(select(Problem.search_text).order_by(Problem.id)))
        log = sorted((c.entity, c.action, c.field, c.new) for c in s.scalars(select(ChangeLog))
                     if c.entity in ("problem", "measure", "note"))
    return search, log


def test_bulk_import_stores_what_add_problem_stores(ledger: Ledger, tmp_path: Path) -> None:
    header = [*HEADER, "问题类别", "整改目标", "责任领导"]
    rows = two_problem_rows()
    rows[0][0].update({"问题类别": "教师队伍", "整改目标": "配齐教师", "责任领导": "李副县长"})
    plan = build_plan(ledger, standard_book(tmp_path / "a.xlsx", rows, header=header),
                      ImportOptions(today=TODAY))
    apply_plan(ledger, plan, today=TODAY)
    imported = list_problems(ledger, with_notes=True)

    other = open_ledger(tmp_path / "b.sqlite")
    try:
        source = create_source(other, SourceInput(title="2021年履行教育职责评价反馈问题", year=2021))
        for planned in plan.problems:
            data = dataclasses.replace(planned.data, source_id=source.id, seq=planned.file_seq)
            row = create_problem(other, data)
            for m, pm in zip(row.measures, planned.measures):
                for note in pm.notes:
                    add_progress_note(other, m.id, note.noted_on, note.text)
        by_service = list_problems(other, with_notes=True)
        service_search, service_log = stored_extras(other)
    finally:
        other.close()
    assert [comparable(p) for p in imported] == [comparable(p) for p in by_service]
    imported_search, imported_log = stored_extras(ledger)
    assert imported_search == service_search  # what the search box matches
    assert imported_log == service_log  # the same history lines, source and units aside


def test_progress_is_reported_and_cancelling_rolls_everything_back(ledger: Ledger,
                                                                   tmp_path: Path) -> None:
    rows = [({"存在问题": f"问题{i}"}, [{"整改措施": "措施", "牵头单位": f"单位{i}"}]) for i in range(600)]
    plan = build_plan(ledger, standard_book(tmp_path / "big.xlsx", rows), ImportOptions(today=TODAY))
    seen: list[tuple[int, int]] = []

    def cancel_midway(done: int, total: int, text: str) -> None:
        seen.append((done, total))
        if done >= 300:
            raise KeyboardInterrupt  # what the window's 取消 raises from inside the callback

    with pytest.raises(KeyboardInterrupt):
        apply_plan(ledger, plan, progress=cancel_midway)
    assert seen[0] == (0, 600) and seen[-1] == (500, 600)
    assert list_problems(ledger) == [] and list_units(ledger) == [] and list_sources(ledger) == []

    seen.clear()
    result = apply_plan(ledger, plan, progress=lambda d, t, s: seen.append((d, t)))
    assert seen[-1] == (600, 600) and result.problems_added == 600
    assert len(result.units_created) == 600


def test_import_into_an_existing_source_numbers_after_its_problems(ledger: Ledger,
                                                                   tmp_path: Path) -> None:
    header = ["序号", "存在问题", "整改措施"]
    rows = [({"序号": 1, "存在问题": "甲"}, [{"整改措施": "a"}])]
    path = standard_book(tmp_path / "来源甲.xlsx", rows, header=header)
    for _ in range(2):
        apply_plan(ledger, build_plan(ledger, path, ImportOptions(today=TODAY,
                                                                    source="来源甲")))
    assert [p.seq for p in list_problems(ledger)] == [1, 2]
    assert [s.title for s in list_sources(ledger)] == ["来源甲"]
