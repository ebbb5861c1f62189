"""The close-out cycle as a supervision office runs it: evidence attached inside the ledger
(deduplicated, size-limited, never half-read), 销号 refused without it unless the ledger says
otherwise, 退回 with a reason, 延期 with the original deadline kept, 回头看 that reopens a
problem when it fails, every step in the history, and evidence carried by backups."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from tests.core.revisions import ledger_at
from tracker import clock
from tracker.db import backup
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.errors import ValidationError
from tracker.services import cycle, evidence
from tracker.services.closeout_settings import closeout_settings, set_closeout_setting
from tracker.services.history import list_history
from tracker.services.measures import set_measure_status
from tracker.services.problems import close_out, create_problem
from tracker.services.queries import get_problem, problem_ids
from tracker.summary import ledger_summary, sentence


def _problem(ledger: Ledger, statuses: tuple[Status, ...] = (Status.DONE,)) -> int:
    return create_problem(ledger, ProblemInput("食堂留样不规范", lead_unit="县教体局", measures=tuple(
        MeasureInput(f"措施{i}", deadline_text="2026-12-31", status=st)
        for i, st in enumerate(statuses, start=1)))).id


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_evidence_is_stored_once_listed_without_its_bytes_and_read_back(
        ledger: Ledger, tmp_path: Path) -> None:
    a, b = _problem(ledger), _problem(ledger)
    photo = _file(tmp_path, "现场照片.jpg", b"\xff\xd8" + b"x" * 5000)
    (first,) = evidence.attach_files(ledger, a, [photo], note="食堂现场")
    (second,) = evidence.attach_files(ledger, b, [photo])
    assert first.sha256 == second.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
    with ledger.read() as s:
        from sqlalchemy import func, select

        from tracker.db.orm import EvidenceBlob
        assert s.scalar(select(func.count()).select_from(EvidenceBlob)) == 1
    row, data = evidence.evidence_data(ledger, first.id)
    assert data == photo.read_bytes() and row.note == "食堂现场" and row.added_on == clock.today()
    evidence.remove_evidence(ledger, first.id)
    assert evidence.evidence_data(ledger, second.id)[1] == photo.read_bytes()
    evidence.remove_evidence(ledger, second.id)
    with ledger.read() as s:
        assert s.scalar(select(func.count()).select_from(EvidenceBlob)) == 0
    lines = [h.description for h in list_history(ledger, problem_id=a)]
    assert any("新增佐证材料" in d and "现场照片.jpg" in d for d in lines)
    assert any("删除佐证材料" in d for d in lines)


def test_bad_files_are_refused_with_one_sentence(ledger: Ledger, tmp_path: Path) -> None:
    pid = _problem(ledger)
    set_closeout_setting(ledger, "evidence.max_mb", "1")
    big = _file(tmp_path, "扫描件.pdf", b"%PDF" + b"0" * (1024 * 1024 + 10))
    empty = _file(tmp_path, "空.docx", b"")
    cases = [(big, "超过每个佐证材料 1 MB"), (empty, "空文件"), (tmp_path, "文件夹"),
             (tmp_path / "不存在.png", "找不到文件")]
    for path, words in cases:
        with pytest.raises(ValidationError) as info:
            evidence.attach_files(ledger, pid, [path])
        assert words in info.value.message
    good = _file(tmp_path, "通知.pdf", b"%PDF-1.4 ok")
    with pytest.raises(ValidationError):  # all or nothing: the good file does not land alone
        evidence.attach_files(ledger, pid, [good, empty])
    assert evidence.list_evidence(ledger, pid) == []


def test_hostile_names_are_cleaned(ledger: Ledger) -> None:
    pid = _problem(ledger)
    rows = evidence.attach_bytes(ledger, pid, [("..\\..\\Windows\\con.txt", b"a"),
                                               ("/etc/passwd", b"b"), ("报告\x07.pdf ", b"c"),
                                               ("NUL", b"d"), ("a" * 300 + ".pdf", b"e")])
    names = [r.name for r in rows]
    assert names[:4] == ["_con.txt", "passwd", "报告.pdf", "_NUL"]
    assert len(names[4]) <= 120 and names[4].endswith(".pdf")


def test_closeout_needs_evidence_unless_the_ledger_says_otherwise(
        ledger: Ledger, tmp_path: Path) -> None:
    pid = _problem(ledger)
    assert closeout_settings(ledger).needs_evidence
    with pytest.raises(ValidationError) as info:
        close_out(ledger, pid, "督导室", clock.today())
    assert "佐证材料" in info.value.message and info.value.field == "evidence"
    evidence.attach_files(ledger, pid, [_file(tmp_path, "整改报告.pdf", b"%PDF")])
    assert close_out(ledger, pid, "督导室", clock.today()).status is Status.CLOSED
    other = _problem(ledger)
    set_closeout_setting(ledger, "closeout.needs_evidence", "否")
    assert close_out(ledger, other, "督导室", clock.today()).status is Status.CLOSED
    with pytest.raises(ValidationError):
        set_closeout_setting(ledger, "closeout.needs_evidence", "也许")


def test_a_done_measure_sent_back_is_in_progress_with_its_reason(ledger: Ledger) -> None:
    pid = _problem(ledger, (Status.DONE, Status.IN_PROGRESS))
    done, open_ = get_problem(ledger, pid).measures
    with pytest.raises(ValidationError):
        cycle.send_back(ledger, open_.id, "材料不全")
    with pytest.raises(ValidationError):
        cycle.send_back(ledger, done.id, "  ")
    row = cycle.send_back(ledger, done.id, "照片不能证明整改到位")
    back = row.measures[0]
    assert back.status is Status.IN_PROGRESS and back.done_on is None
    assert any(n.text == "退回：照片不能证明整改到位" for n in back.notes)
    assert any("退回措施" in h.description for h in list_history(ledger, problem_id=pid))


def test_an_extension_keeps_the_original_deadline_and_is_counted(ledger: Ledger) -> None:
    pid = _problem(ledger, (Status.IN_PROGRESS,))
    (m,) = get_problem(ledger, pid).measures
    with pytest.raises(ValidationError):
        cycle.extend(ledger, m.id, "2026年6月底前", "资金未到位")  # earlier than now
    with pytest.raises(ValidationError):
        cycle.extend(ledger, m.id, "2027年6月底前", "")
    cycle.extend(ledger, m.id, "2027年6月底前", "资金未到位", approved_by="分管局长")
    (after,) = get_problem(ledger, pid).measures
    assert after.deadline == dt.date(2027, 6, 30) and after.extended
    assert after.original_deadline == dt.date(2026, 12, 31)
    assert after.original_deadline_text == "2026-12-31"
    (ext,) = cycle.extensions_by_measure(ledger, [m.id])[m.id]
    assert (ext.reason, ext.approved_by, ext.on) == ("资金未到位", "分管局长", clock.today())
    s = ledger_summary(ledger, ProblemFilter(), clock.today())
    assert s.extended == 1 and "其中延期1项" in sentence(s)


def test_a_failed_recheck_reopens_and_the_due_filter_finds_old_closures(
        ledger: Ledger, tmp_path: Path) -> None:
    set_closeout_setting(ledger, "closeout.needs_evidence", "否")
    with clock.fixed_today(dt.date(2026, 3, 1)):
        old = _problem(ledger)
        close_out(ledger, old, "督导室", dt.date(2026, 3, 1))
    recent = _problem(ledger)
    close_out(ledger, recent, "督导室", clock.today())
    due = problem_ids(ledger, ProblemFilter(recheck_due_months=6))
    assert due == [old]
    with pytest.raises(ValidationError):
        cycle.recheck(ledger, old, False, "")
    kept = cycle.recheck(ledger, recent, True, "运行良好")
    assert kept.status is Status.CLOSED
    reopened = cycle.recheck(ledger, old, False, "留样记录再次缺失")
    assert reopened.status is Status.IN_PROGRESS and reopened.closeout_by == ""
    assert problem_ids(ledger, ProblemFilter(recheck_due_months=6)) == []
    assert [r.result for r in cycle.rechecks_of(ledger, old)] == ["不合格"]
    assert any("回头看" in h.description for h in list_history(ledger, problem_id=old))


def test_backups_carry_evidence_byte_for_byte(ledger: Ledger, tmp_path: Path) -> None:
    pid = _problem(ledger)
    data = bytes(range(256)) * 400
    (row,) = evidence.attach_bytes(ledger, pid, [("会议纪要.docx", data)])
    copy = backup.backup_to(ledger, tmp_path / "备份.sqlite")
    other = open_ledger(copy, user="测试员")
    try:
        _, back = evidence.evidence_data(other, row.id)
        assert hashlib.sha256(back).hexdigest() == row.sha256
    finally:
        other.close()


def test_a_ledger_from_before_evidence_is_brought_forward(tmp_path: Path) -> None:
    path = ledger_at(tmp_path / "旧台账.sqlite", "0003", problem="旧问题", status="done",
                     total=0, done=0)
    led = open_ledger(path, user="测试员")
    try:
        assert evidence.list_evidence(led, 1) == []
        (row,) = evidence.attach_bytes(led, 1, [("照片.png", b"png")])
        assert row.problem_id == 1
    finally:
        led.close()
