"""Several clerks on one server ledger: what another clerk saves shows in this window within
a second, the selection stays, and a file ledger needs no watching."""

from __future__ import annotations

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tests.ui.window_helpers import open_window, select_text
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.services.measures import set_measure_status
from tracker.services.problems import create_problem
from tracker.services.queries import get_problem


def test_a_colleagues_save_shows_within_a_second(qtbot, pg_url) -> None:  # type: ignore[no-untyped-def]
    mine = open_ledger(pg_url, user="李明")
    theirs = open_ledger(pg_url, user="王芳")
    try:
        a = create_problem(mine, ProblemInput("食堂留样不规范", measures=(
            MeasureInput("开展检查", deadline_text="2026-12-31"),)))
        create_problem(mine, ProblemInput("校舍维修滞后", measures=(
            MeasureInput("拨付资金", deadline_text="2027-06-30"),)))
        window = open_window(qtbot, mine, 2)
        assert window.server_changes._listener is not None
        select_text(window, "校舍")
        set_measure_status(theirs, get_problem(theirs, a.id).measures[0].id, Status.DONE)
        create_problem(theirs, ProblemInput("新增的问题", measures=(MeasureInput("措施"),)))
        qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=3000)
        def shown_done() -> bool:
            row = window.model.row_of(a.id)
            shown = window.model.problem_at(row) if row is not None else None
            return shown is not None and shown.status is Status.DONE

        qtbot.waitUntil(shown_done, timeout=3000)
        assert "校舍" in window.detail.problem.description  # the clerk's selection stayed
        window.close()
    finally:
        theirs.close()
        mine.close()


def test_a_file_ledger_is_not_watched(qtbot, small_ledger) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, small_ledger, 5)
    assert window.server_changes._listener is None
