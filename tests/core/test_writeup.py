"""`rectify report`: what the 整改情况报告, 巡察整改通报 and 调度通报 say, from the ledger as of a
day (the layout is tested in test_writeup_layout.py, the round trip in test_writeup_roundtrip.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import TODAY
from tracker.cli.main import main
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.errors import ValidationError
from tracker.services.problems import create_problem
from tracker.writeup import ReportOptions, build_blocks, gather, write_report
from tracker.writeup import words as w

SINCE = TODAY - dt.timedelta(days=60)


def texts(path: Path) -> list[str]:
    """The non-empty paragraphs of a written document."""
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def run(*argv: str) -> tuple[int, str]:
    """Run the CLI in-process; (exit code, stdout)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def test_chinese_numbers_and_deadlines() -> None:
    assert [w.cn_number(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 112, 230)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十二", "二百三十"]
    assert w.by_when(dt.date(2027, 7, 31)) == "2027年7月底前"
    assert w.by_when(dt.date(2026, 12, 31)) == "2026年底前"
    assert w.by_when(dt.date(2026, 3, 15)) == "2026年3月15日前"
    assert w.end_stop("开展“回头看”") == "开展“回头看”。"
    assert w.end_stop("完成。") == "完成。"


def _one(ledger: Ledger, text: str, *measures: tuple[str, Status, str]) -> None:
    create_problem(ledger, ProblemInput(text, lead_unit="市教育局", measures=tuple(
        MeasureInput(m, lead_unit="市教育局", status=s, deadline_text=d,
                     done_on=TODAY if not s.is_open else None) for m, s, d in measures)))


def test_status_sentences_as_the_issue_words_them(ledger: Ledger, tmp_path: Path) -> None:
    _one(ledger, "食堂留样不规范", ("开展专项检查", Status.DONE, "2026年10月底前"))
    _one(ledger, "学位紧张", ("新建学校", Status.IN_PROGRESS, "2027年7月底前"))
    _one(ledger, "师德师风建设", ("常态化开展师德教育", Status.ONGOING, "长期坚持"))
    _one(ledger, "监控盲区", ("补装监控", Status.IN_PROGRESS, "2026年6月底前"))
    out = tmp_path / "r.docx"
    data = write_report(ledger, ReportOptions(org="中卫市教育局"), out)
    paras = texts(out)
    assert paras[1].startswith(data.sentence)
    for expected in ("该问题已完成整改。", "目前正在整改，计划2027年7月底前完成。",
                     "此项工作需长期坚持。",
                     "该问题已超过整改时限（原计划2026年6月底前完成），目前仍在整改。",
                     "（一）问题：食堂留样不规范。", "整改措施及进展：", "1.开展专项检查。",
                     "下一步工作打算", "中卫市教育局", w.signature_date(TODAY)):
        assert any(expected in p for p in paras), expected
    overdue = next(p for p in Document(str(out)).paragraphs if p.text.startswith("该问题已超过"))
    assert all(r.bold for r in overdue.runs if r.text.strip())  # impossible to miss


def test_opening_sentence_is_the_summary_commands(demo_ledger: Ledger, tmp_path: Path) -> None:
    """Same filter, same day: the report opens with exactly what `rectify summary` prints."""
    day = TODAY - dt.timedelta(days=45)
    db = str(demo_ledger.path)
    for extra in ([], ["--unit", "市教育局"], ["--source", "1"]):
        code, said = run("--db", db, "summary", "--as-of", day.isoformat(), *extra)
        assert code == 0
        out = tmp_path / f"r{''.join(extra[:1])}.docx"
        code, _ = run("--db", db, "report", str(out), "--as-of", day.isoformat(), *extra)
        assert code == 0
        assert texts(out)[1].startswith(said.strip().splitlines()[0])


def test_problems_and_notes_as_of_the_day(demo_ledger: Ledger) -> None:
    """A back-dated report leaves out problems entered later and notes written later."""
    day = TODAY - dt.timedelta(days=200)
    data = gather(demo_ledger, ReportOptions(as_of=day))
    now = gather(demo_ledger, ReportOptions())
    assert len(data.problems) < len(now.problems)
    assert data.summary.total == len(data.problems)
    notes = [n.noted_on for p in data.problems for m in p.measures for n in m.notes]
    assert notes and max(notes) <= day


def test_inspection_template_shapes(demo_ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    data = write_report(demo_ledger, ReportOptions(template="巡察整改通报"), out)
    paras = texts(out)
    first = data.problems[0]
    assert paras[2] == f"一、关于“{w.bare(first.description)}”的问题"
    assert paras[3].startswith("整改情况：一是") and paras[3].endswith("。")
    assert paras[4] == w.problem_status(first, TODAY)


def test_dispatch_compares_two_periods(demo_ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "d.docx"
    data = write_report(demo_ledger, ReportOptions(template="dispatch", since=SINCE), out)
    assert data.period is not None and data.since_summary is not None
    doc = Document(str(out))
    side = doc.tables[0]
    assert [c.text for c in side.rows[1].cells] == [data.since_sentence, data.sentence]
    units = doc.tables[1]
    overdue = [int(r.cells[4].text) for r in units.rows[1:]]
    assert overdue == sorted(overdue, reverse=True)  # most overdue first
    counts = data.period.counts()
    paras = "\n".join(texts(out))
    assert f"新完成整改{counts['completed']}个" in paras
    for p in data.period.completed:
        assert not p.status.is_open
        assert w.bare(p.description) in paras


def test_period_changes_follow_the_history(ledger: Ledger) -> None:
    """Done, overdue, extended and added between two days, from the change log."""
    from tracker import clock
    from tracker.services.measures import update_measure
    from tracker.services.period import period_changes, unit_periods

    before = dt.date(2026, 6, 1)
    with clock.fixed_today(dt.date(2026, 5, 1)):
        _one(ledger, "旧问题", ("旧措施", Status.IN_PROGRESS, "2026年8月底前"))
        done = create_problem(ledger, ProblemInput("将完成", lead_unit="市财政局", measures=(
            MeasureInput("拨付经费", lead_unit="市财政局", deadline_text="2027年6月底前"),)))
        later = create_problem(ledger, ProblemInput("将延期", lead_unit="市财政局", measures=(
            MeasureInput("建设校舍", lead_unit="市财政局", deadline_text="2026年12月底前"),)))
    with clock.fixed_today(dt.date(2026, 9, 1)):
        update_measure(ledger, done.measures[0].id, status=Status.DONE)
        update_measure(ledger, later.measures[0].id, deadline_text="2027年7月底前")
    _one(ledger, "新问题", ("新措施", Status.IN_PROGRESS, "2027年7月底前"))
    changes = period_changes(ledger, ProblemFilter(), before, TODAY)
    assert [p.description for p in changes.added] == ["新问题"]
    assert [p.description for p in changes.overdue] == ["旧问题"]  # past 2026-08-31 now
    assert [p.description for p in changes.completed] == ["将完成"]
    assert [(e.problem.description, e.before, e.after) for e in changes.extended] == [
        ("将延期", dt.date(2026, 12, 31), dt.date(2027, 7, 31))]
    assert not changes.closed
    units = unit_periods(changes)
    assert units[0].unit == "市教育局" and units[0].overdue_now == 1  # most overdue first
    finance = next(u for u in units if u.unit == "市财政局")
    assert finance.changes == {"completed": 1, "closed": 0, "overdue": 0, "extended": 1,
                               "added": 0}
    # The same period from before the last change: nothing of it is seen yet.
    early = period_changes(ledger, ProblemFilter(), before, dt.date(2026, 8, 1))
    assert early.empty


def test_dispatch_needs_since_and_bad_template_is_refused(ledger: Ledger, tmp_path: Path
                                                          ) -> None:
    with pytest.raises(ValidationError, match="--since"):
        write_report(ledger, ReportOptions(template="dispatch"), tmp_path / "a.docx")
    with pytest.raises(ValidationError, match="未知的报告模板"):
        write_report(ledger, ReportOptions(template="周报"), tmp_path / "a.docx")
    with pytest.raises(ValidationError, match=".docx"):
        write_report(ledger, ReportOptions(), tmp_path / "a.txt")
    with pytest.raises(ValidationError, match="早于"):
        write_report(ledger, ReportOptions(since=TODAY), tmp_path / "a.docx")


def test_cli_report_defaults_to_dispatch_with_since(demo_ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "d.docx"
    code, said = run("--db", str(demo_ledger.path), "report", str(out), "--since",
                     SINCE.isoformat(), "--org", "中卫市教育局", "--title", "十一月调度通报")
    assert code == 0 and "调度通报" in said
    assert texts(out)[0] == "十一月调度通报"


def test_empty_ledger_still_writes_a_report(ledger: Ledger, tmp_path: Path) -> None:
    data = gather(ledger, ReportOptions())
    blocks = build_blocks(data)
    assert blocks[1].text.startswith("截至") and "暂无整改问题" in blocks[1].text


def test_period_rows_for_the_stats_sheet(demo_ledger: Ledger) -> None:
    """The rows `export --since` can put on its 统计 sheet are the 调度通报's numbers."""
    from tracker.services.period import UNIT_HEADERS, kind_rows, period_changes, unit_periods
    from tracker.services.period import unit_rows

    changes = period_changes(demo_ledger, ProblemFilter(), SINCE, TODAY)
    assert kind_rows(changes)[0] == ("新完成整改", len(changes.completed))
    rows = unit_rows(unit_periods(changes))
    assert all(len(r) == len(UNIT_HEADERS) for r in rows)
    data = gather(demo_ledger, ReportOptions(template="dispatch", since=SINCE))
    table = next(b for b in build_blocks(data) if b.kind == "table" and len(b.rows[0]) > 2)
    assert [r[1:] for r in table.rows[1:]] == [tuple(str(v) for v in r) for r in rows]
