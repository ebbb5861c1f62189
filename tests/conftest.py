"""Fixtures every test may use: a fresh ledger file and a small demo ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker import clock
from tracker.db.engine import Ledger, open_ledger

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> Iterator[dt.date]:
    """Every test runs on TODAY, whatever the machine's clock says (CI also shifts it with
    libfaketime); subprocesses inherit the same day through RECTIFY_TODAY."""
    monkeypatch.setenv(clock.ENV, TODAY.isoformat())
    with clock.fixed_today(TODAY):
        yield TODAY


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
