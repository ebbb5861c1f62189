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


# The modules whose `ledger` runs on both stores (services, CLI, round trips); every other
# test keeps the SQLite file only, so the suite does not double in time.
BOTH_STORES = frozenset({
    "test_services", "test_roundtrip_excel", "test_roundtrip_identity",
    "test_roundtrip_measure_people", "test_filter_counts", "test_history_coverage",
    "test_postgres_store", "test_unit_table",
})
STORES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the `ledger` tests of BOTH_STORES once per store."""
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if "ledger" in metafunc.fixturenames and module in BOTH_STORES:
        metafunc.parametrize("ledger", STORES, indirect=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A throwaway PostgreSQL cluster for the whole session (tests/core/pg_server.py)."""
    from tests.core.pg_server import start_server

    if os.environ.get("RECTIFY_TEST_PG") == "off":
        # .ci/run's shifted-clock reruns of tests/core: the store is not what they test.
        pytest.skip("RECTIFY_TEST_PG=off：本次运行不测 PostgreSQL 部分")
    server = start_server()
    if server is None:
        pytest.skip("没有安装 PostgreSQL 服务器程序（Debian: apt-get install postgresql），"
                    "跳过 PostgreSQL 部分")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The URL of a fresh, migrated, empty PostgreSQL ledger, dropped after the test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # server-ledger local files
    name = pg_server.fresh_database()  # type: ignore[attr-defined]
    yield pg_server.url(name)  # type: ignore[attr-defined]
    pg_server.drop(name)  # type: ignore[attr-defined]


@pytest.fixture
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    """An empty ledger, closed after the test: a file in a temporary folder, or (for the
    modules in BOTH_STORES, second run) a fresh database on the test PostgreSQL server."""
    if getattr(request, "param", "sqlite") == "postgresql":
        led = open_ledger(request.getfixturevalue("pg_url"), user="测试员")
    else:
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
