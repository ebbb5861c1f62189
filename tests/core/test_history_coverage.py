"""The change history covers every create, update and delete of sources, problems, measures,
progress notes and close-outs, done through the services, with time, user, field, old and new."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.closeout_helpers import with_evidence
from tracker import clock
from tracker.db.engine import current_user, open_ledger
from tracker.domain import MeasureInput, ProblemInput, SourceInput, SourceKind, Status
from tracker.services import measures, problems, reference
from tracker.services.history import ChangeRow, list_history
from tracker.services.queries import get_problem


def _changes(ledger, problem_id: int | None = None) -> list[ChangeRow]:
    return list(reversed(list_history(ledger, problem_id)))  # oldest first reads like a story


def _one(rows: list[ChangeRow], **match: object) -> ChangeRow:
    found = [r for r in rows if all(getattr(r, k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one change matching {match}, got {found}"
    return found[0]


def _problem(ledger, source_id: int | None = None) -> int:
    return problems.create_problem(ledger, ProblemInput(
        "校园视频监控存在盲区", source_id=source_id, category="平安校园", lead_unit="市教育局",
        owner="李明", measures=(
            MeasureInput("补装视频监控", lead_unit="市公安局", deadline_text="2026年12月31日"),
            MeasureInput("配齐专职保安", deadline_text="2027年6月底前"),
        ),
    )).id


def test_source_create_update_delete_are_recorded_with_old_and_new(ledger) -> None:
    before = clock.now().replace(microsecond=0)
    src = reference.create_source(ledger, SourceInput("市委第三巡察组反馈问题", SourceKind.INSPECTION, 2023))
    reference.update_source(ledger, src.id, SourceInput(
        "市委第三巡察组反馈问题", SourceKind.AUDIT, 2024, doc_number="卫巡反〔2023〕3号"))
    reference.delete_source(ledger, src.id)
    rows = [r for r in _changes(ledger) if r.entity == "source"]

    assert _one(rows, action="create").new == "市委第三巡察组反馈问题"
    year = _one(rows, action="update", field="year")
    assert (year.old, year.new) == ("2023", "2024")
    kind = _one(rows, action="update", field="kind")
    assert kind.description == "修改来源（编号1）类型：“巡视巡察” → “专项审计”"
    assert _one(rows, field="doc_number").new == "卫巡反〔2023〕3号"
    assert _one(rows, action="delete").old == "市委第三巡察组反馈问题"
    for r in rows:
        assert r.user == "测试员"
        assert before <= r.at <= clock.now() + dt.timedelta(seconds=1)


def test_problem_create_and_field_edits_show_names_not_ids(ledger) -> None:
    pid = _problem(ledger)
    row = get_problem(ledger, pid)
    edited = ProblemInput(
        "校园视频监控存在盲区，一键报警未联网", category="教育信息化", lead_unit="市公安局",
        owner="李明", remarks="已列入年度计划",
        measures=tuple(MeasureInput(m.text, lead_unit=m.lead_unit, deadline_text=m.deadline_text,
                                    id=m.id) for m in row.measures),
    )
    problems.update_problem(ledger, pid, edited, expected_version=row.version)
    rows = _changes(ledger, pid)

    assert _one(rows, entity="problem", action="create").new == "校园视频监控存在盲区"
    desc = _one(rows, entity="problem", action="update", field="description")
    assert (desc.old, desc.new) == ("校园视频监控存在盲区", "校园视频监控存在盲区，一键报警未联网")
    unit = _one(rows, entity="problem", field="lead_unit_id")
    assert unit.description == "修改问题（编号1）牵头单位：“市教育局” → “市公安局”"
    cat = _one(rows, entity="problem", field="category_id")
    assert (cat.old_text, cat.new_text) == ("平安校园", "教育信息化")
    assert _one(rows, entity="problem", field="remarks").new == "已列入年度计划"
    assert {r.entity_id for r in rows if r.entity == "measure" and r.action == "create"} == {
        m.id for m in row.measures}


def test_measure_add_edit_and_remove_through_the_problem_form_are_recorded(ledger) -> None:
    pid = _problem(ledger)
    row = get_problem(ledger, pid)
    kept, dropped = row.measures
    measures.add_progress_note(ledger, dropped.id, dt.date(2026, 11, 1), "已招聘保安两名")
    form = ProblemInput(row.description, category=row.category, lead_unit=row.lead_unit,
                        owner=row.owner, measures=(
        MeasureInput("补装视频监控并接入公安平台", lead_unit="市公安局",
                     deadline_text="2026年12月31日", status=Status.IN_PROGRESS, id=kept.id),
        MeasureInput("每学期开展应急疏散演练", deadline_text="长期坚持", status=Status.ONGOING),
    ))
    problems.update_problem(ledger, pid, form)
    rows = _changes(ledger, pid)

    text = _one(rows, entity="measure", entity_id=kept.id, action="update", field="text")
    assert (text.old, text.new) == ("补装视频监控", "补装视频监控并接入公安平台")
    status = _one(rows, entity="measure", entity_id=kept.id, field="status")
    assert status.description == f"修改措施（编号{kept.id}）状态：“未启动” → “整改中”"
    assert _one(rows, entity="measure", entity_id=dropped.id, action="delete").old == "配齐专职保安"
    # The measure's notes go with it; the history says so with their text.
    assert _one(rows, entity="note", action="delete").old == "已招聘保安两名"
    created = [r for r in rows if r.entity == "measure" and r.action == "create"]
    assert created[-1].new == "每学期开展应急疏散演练"


def test_status_deadline_and_progress_from_update_measure_are_recorded(ledger) -> None:
    pid = _problem(ledger)
    mid = get_problem(ledger, pid).measures[0].id
    measures.update_measure(ledger, mid, status=Status.DONE, deadline_text="2027年3月底前",
                            progress="监控已全部补装", progress_on=dt.date(2026, 11, 20),
                            done_on=dt.date(2026, 11, 20))
    rows = _changes(ledger, pid)
    assert _one(rows, entity="measure", field="status").new_text == "已完成"
    assert _one(rows, entity="measure", field="done_on").new == "2026-11-20"
    deadline = _one(rows, entity="measure", field="deadline_text")
    assert (deadline.old, deadline.new) == ("2026年12月31日", "2027年3月底前")
    assert _one(rows, entity="measure", field="deadline").new == "2027-03-31"
    assert _one(rows, entity="note", action="create").new == "监控已全部补装"


def test_progress_note_delete_and_undo_are_recorded(ledger) -> None:
    pid = _problem(ledger)
    mid = get_problem(ledger, pid).measures[0].id
    note = measures.add_progress_note(ledger, mid, dt.date(2026, 10, 8), "已完成招标")
    gone = measures.delete_progress_note(ledger, note.id)
    measures.restore_progress_note(ledger, gone)
    notes = [r for r in _changes(ledger, pid) if r.entity == "note"]
    assert [(r.action, r.old, r.new) for r in notes] == [
        ("create", "", "已完成招标"), ("delete", "已完成招标", ""), ("restore", "", "已完成招标")]


def test_close_out_records_verifier_date_note_and_each_measure(ledger) -> None:
    pid = _problem(ledger)
    for m in get_problem(ledger, pid).measures:
        measures.set_measure_status(ledger, m.id, Status.DONE, dt.date(2026, 11, 1))
    with_evidence(ledger, pid)
    problems.close_out(ledger, pid, "督导室 王芳", dt.date(2026, 11, 23), "现场核验，资料齐全")
    rows = _changes(ledger, pid)
    assert _one(rows, entity="problem", field="closeout_by").new == "督导室 王芳"
    assert _one(rows, entity="problem", field="closeout_on").new == "2026-11-23"
    assert _one(rows, entity="problem", field="closeout_note").new == "现场核验，资料齐全"
    closed = [r for r in rows if r.entity == "measure" and r.field == "status" and r.new == "closed"]
    assert len(closed) == 2 and all(r.old_text == "已完成" and r.new_text == "已销号" for r in closed)


def test_deleting_a_problem_records_it_with_its_measures(ledger) -> None:
    pid = _problem(ledger)
    problems.delete_problem(ledger, pid)
    rows = _changes(ledger, pid)
    assert _one(rows, entity="problem", action="delete").old == "校园视频监控存在盲区"
    assert {r.old for r in rows if r.entity == "measure" and r.action == "delete"} == {
        "补装视频监控", "配齐专职保安"}


def test_history_of_one_problem_leaves_out_other_problems(ledger) -> None:
    first, second = _problem(ledger), _problem(ledger)
    assert {r.problem_id for r in list_history(ledger, second)} == {second}
    assert {r.problem_id for r in list_history(ledger)} >= {first, second}
    assert len(list_history(ledger, limit=3)) == 3


def test_without_a_configured_name_the_os_user_is_recorded(tmp_path: Path) -> None:
    led = open_ledger(tmp_path / "l.sqlite")
    try:
        reference.create_source(led, SourceInput("自查自评问题"))
        assert list_history(led)[0].user == current_user() != ""
    finally:
        led.close()


def _rectify(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    return subprocess.run([sys.executable, "-m", "ui.launch", *args], capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.mark.slow
def test_rectify_update_goes_through_the_services_and_lands_in_history(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    led = open_ledger(path, user="测试员")
    try:
        pid = _problem(led)
        mid = get_problem(led, pid).measures[1].id
    finally:
        led.close()

    out = _rectify("--db", str(path), "update", str(mid), "--status", "已完成", "--progress",
                   "保安已到岗", "--deadline", "2027年3月底前", "--user", "赵六")
    assert out.returncode == 0, out.stderr
    assert "状态 已完成" in out.stdout and "2027-03-31" in out.stdout

    out = _rectify("--db", str(path), "history", "--problem", str(pid), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    mine = [c for c in data if c["user"] == "赵六"]
    assert {(c["entity"], c["field"]) for c in mine} >= {
        ("measure", "status"), ("measure", "deadline_text"), ("note", "text")}
    status = next(c for c in mine if c["field"] == "status")
    assert (status["old_text"], status["new_text"]) == ("未启动", "已完成")

    table = _rectify("--db", str(path), "history", "--problem", str(pid))
    assert "赵六" in table.stdout and "“未启动” → “已完成”" in table.stdout



@pytest.mark.parametrize("args,words", [
    (["--status", "差不多了"], "未知的状态“差不多了”"),
    ([], "--status"),
    (["--deadline", "下辈子"], "无法识别整改时限“下辈子”"),
    (["--progress", "  "], "不能为空"),
])
def test_rectify_update_refuses_bad_arguments_in_one_chinese_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str) -> None:
    from tracker.cli.main import main

    path = tmp_path / "l.sqlite"
    led = open_ledger(path, user="测试员")
    try:
        mid = get_problem(led, _problem(led)).measures[0].id
        history = len(list_history(led))
    finally:
        led.close()
    assert main(["--db", str(path), "update", str(mid), *args]) == 1
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    led = open_ledger(path)
    try:
        assert len(list_history(led)) == history
    finally:
        led.close()


def test_rectify_update_of_a_missing_measure_says_so(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli.main import main

    path = tmp_path / "l.sqlite"
    open_ledger(path).close()
    assert main(["--db", str(path), "update", "9999", "--status", "done"]) == 1
    assert "不存在" in capsys.readouterr().err
