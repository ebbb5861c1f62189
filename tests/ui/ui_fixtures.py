"""Fixtures for the main-window tests (imported by each test module that wants them):
QSettings in a temporary folder, and a small ledger of known problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.db.engine import Ledger, open_ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, SourceInput, Status
from tracker.services.evidence import attach_bytes
from tracker.services.problems import create_problem
from tracker.services.queries import problem_ids
from tracker.services.reference import create_source, ensure_default_categories

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """QSettings read and written in a fresh folder: nothing leaks between tests or to the
    user's own settings."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


def days(n: int) -> str:
    """A deadline written as a clerk would, ``n`` days after TODAY."""
    d = TODAY + dt.timedelta(days=n)
    return f"{d.year}年{d.month}月{d.day}日"


@pytest.fixture
def small_ledger(tmp_path: Path) -> Iterator[Ledger]:
    """Five problems, one per warning band, under one source:
    食堂 overdue, 监控 due in 3 days, 编制 due in 20 days, 经费 done, 大班额 closed."""
    led = open_ledger(tmp_path / "small.sqlite", user="测试员")
    ensure_default_categories(led)
    src = create_source(led, SourceInput("2025年督导反馈", year=2025,
                                         issued_on=dt.date(2025, 6, 1)))

    def add(desc: str, unit: str, deadline: str, status: Status, cat: str) -> None:
        create_problem(led, ProblemInput(
            description=desc, source_id=src.id, category=cat, lead_unit=unit, owner="王建国",
            measures=(MeasureInput(f"{desc[:6]}整改", lead_unit=unit, deadline_text=deadline,
                                   status=status),)))

    add("学校食堂留样不规范", "市市场监管局", days(-10), Status.IN_PROGRESS, "食堂与食品安全")
    add("校园视频监控存在盲区", "市公安局", days(3), Status.NOT_STARTED, "平安校园")
    add("教师结构性缺编", "市委编办", days(20), Status.IN_PROGRESS, "教师队伍")
    add("公用经费未足额拨付", "市财政局", days(-5), Status.DONE, "教育经费保障")
    add("城区存在大班额", "市教育局", days(60), Status.CLOSED, "学校布局与学位")
    # The done problem has its evidence in, ready for 销号 (the ledger asks for evidence).
    done = problem_ids(led, ProblemFilter(text="经费"))[0]
    attach_bytes(led, done, [("拨付凭证.pdf", b"%PDF-1.4 evidence")])
    yield led
    led.close()
