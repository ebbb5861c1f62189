"""Fixtures every test may use: a fresh ledger file and a small demo ledger."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker import clock
from tracker.db.engine import Ledger, open_ledger

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True, scope="session")
def fixed_today() -> Iterator[dt.date]:
    """Every test (and every module- or session-wide fixture) runs on TODAY, whatever the
    machine's clock says (CI also shifts it with libfaketime); subprocesses inherit the same
    day through RECTIFY_TODAY."""
    before = os.environ.get(clock.ENV)
    os.environ[clock.ENV] = TODAY.isoformat()
    try:
        with clock.fixed_today(TODAY):
            yield TODAY
    finally:
        if before is None:
            os.environ.pop(clock.ENV, None)
        else:
            os.environ[clock.ENV] = before


@pytest.fixture(autouse=True, scope="session")
def private_logs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Logs of the CLI and window under test go to a temporary folder (subprocesses too),
    never into the user's own log folder."""
    from tracker import logs

    folder = tmp_path_factory.mktemp("logs")
    before = os.environ.get("RECTIFY_LOG_DIR")
    os.environ["RECTIFY_LOG_DIR"] = str(folder)
    try:
        yield folder
    finally:
        logs.stop_logging()
        if before is None:
            os.environ.pop("RECTIFY_LOG_DIR", None)
        else:
            os.environ["RECTIFY_LOG_DIR"] = before


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    """An empty ledger in a temporary folder, closed after the test."""
    led = open_ledger(tmp_path / "ledger.sqlite", user="测试员")
    yield led
    led.close()


@pytest.fixture
def demo_ledger(tmp_path: Path) -> Iterator[Ledger]:
    """A 60-problem sample ledger built as of TODAY."""
    from tracker.demo import build_demo

    led = open_ledger(tmp_path / "demo.sqlite", user="测试员")
    build_demo(led, 60, today=TODAY)
    yield led
    led.close()
