"""`rectify list --json` is written a chunk at a time: the same bytes as dumping the whole
list at once, whatever the chunk size; and `rectify check` reports its progress."""

from __future__ import annotations

import io
import sys

import pytest

from tests.conftest import TODAY
from tracker.cli import ledger_cmds
from tracker.cli.common import dump_json
from tracker.db.engine import Ledger
from tracker.integrity import check_ledger
from tracker.services.queries import list_problems, problem_ids


def _capture(monkeypatch: pytest.MonkeyPatch, fn: object, *args: object) -> str:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    fn(*args)  # type: ignore[operator]
    return out.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_streamed_json_is_the_whole_list_dumped_at_once(
        demo_ledger: Ledger, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    rows = list_problems(demo_ledger, with_measures=True)
    extras = ledger_cmds.JsonExtras.read(demo_ledger, rows)
    whole = _capture(monkeypatch, dump_json,
                     [ledger_cmds.problem_json(p, TODAY, extras) for p in rows])
    monkeypatch.setattr(ledger_cmds, "JSON_CHUNK", chunk)
    streamed = _capture(monkeypatch, ledger_cmds.write_json_stream, demo_ledger,
                        problem_ids(demo_ledger), TODAY)
    assert streamed == whole


def test_streamed_json_of_nothing_is_an_empty_list(
        demo_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _capture(monkeypatch, ledger_cmds.write_json_stream, demo_ledger, [], TODAY) == "[]\n"


def test_check_reports_progress(demo_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.services import checks

    monkeypatch.setattr(checks, "CHUNK", 10)
    seen: list[tuple[int, int]] = []
    assert check_ledger(demo_ledger, lambda done, total: seen.append((done, total))).ok
    assert seen and seen[0] == (10, 60) and seen[-1][0] <= 60
