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
