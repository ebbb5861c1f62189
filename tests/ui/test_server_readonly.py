"""The section chief on a server ledger: a PostgreSQL role that may only read gets the same
read-only window as a read-only file (banner, （只读） title, edit actions off, the editor view
only), and an edit the server refuses after all is explained with the read-only sentence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from tests.core.pg_server import PgServer
from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tests.ui.window_helpers import open_window, wait_loaded
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput
from tracker.services.problems import create_problem
from tracker.services.queries import get_problem, problem_ids
from ui import external_dialogs
from ui.dialogs.problem_editor import ProblemEditor
from ui.dialogs.server_dialog import ServerDialog, recent_servers

READ_ONLY_SENTENCE = "您的数据库账号只有查看权限"
DESCRIPTIONS = ("学校食堂留样不规范", "校园视频监控存在盲区", "教师结构性缺编")


@pytest.fixture
def server_ledger(pg_url: str) -> Iterator[tuple[str, str]]:
    """Three problems on a fresh server ledger; (database name, superuser URL)."""
    led = open_ledger(pg_url, user="管理员")
    try:
        for text in DESCRIPTIONS:
            create_problem(led, ProblemInput(text, measures=(
                MeasureInput(f"{text[:4]}整改", deadline_text="2027-06-30"),)))
    finally:
        led.close()
    yield pg_url.rsplit("/", 1)[1], pg_url


@pytest.fixture
def role(pg_server: PgServer, server_ledger: tuple[str, str]) -> Iterator[str]:
    """A login role of this test's own on the ledger's database, dropped afterwards."""
    name = f"chief_{server_ledger[0]}"
    pg_server.admin(f"CREATE ROLE {name} LOGIN")
    pg_server.admin(f"GRANT USAGE ON SCHEMA public TO {name}", database=server_ledger[0])
    yield name
    pg_server.admin(f"DROP OWNED BY {name}", database=server_ledger[0])
    pg_server.admin(f"DROP ROLE {name}")


def _versions(url: str) -> dict[int, int]:
    """Every problem's version, read as the administrator."""
    admin = open_ledger(url)
    try:
        return {pid: get_problem(admin, pid).version for pid in problem_ids(admin)}
    finally:
        admin.close()


def _connect_through_the_dialog(qtbot, window, pg_server: PgServer,  # type: ignore[no-untyped-def]
                                database: str, user: str,
                                monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """文件 → 连接服务器台账… filled in as the clerk would; the warnings shown on the way."""
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(str(a[2])))

    def fill_and_accept(dialog: ServerDialog) -> int:
        dialog.host.setText("127.0.0.1")
        dialog.port.setValue(pg_server.port)
        dialog.database.setText(database)
        dialog.user.setText(user)
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(ServerDialog, "exec", fill_and_accept)
    external_dialogs.open_server(window)
    wait_loaded(qtbot, window, len(DESCRIPTIONS))
    return warnings


def test_a_reading_role_gets_the_read_only_window(  # type: ignore[no-untyped-def]
        qtbot, pg_server, server_ledger, role, small_ledger, monkeypatch) -> None:
    database, admin_url = server_ledger
    pg_server.admin(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}", database=database)
    before = _versions(admin_url)
    window = open_window(qtbot, small_ledger, 5)
    warnings = _connect_through_the_dialog(qtbot, window, pg_server, database, role, monkeypatch)
    led = window.ledger
    assert warnings == []  # opening is not an error: the banner says it
    assert led.is_server and led.read_only
    assert window.banner.isVisibleTo(window) and READ_ONLY_SENTENCE in window.banner.label.text()
    assert "（只读）" in window.windowTitle()
    assert recent_servers() and role in recent_servers()[0]

    ids = problem_ids(led)
    assert window.select_problem(ids[0])
    menus = window.menus
    for action in (menus.new_problem, menus.delete_problem, menus.bulk_edit, menus.close_out,
                   menus.add_note, menus.import_excel, menus.import_report, *menus.cycle):
        assert not action.isEnabled(), action.text()
    assert not menus.undo.isVisible() and not menus.redo.isVisible()
    assert not window.detail.edit_button.isEnabled()
    assert menus.edit_problem.isEnabled() and menus.edit_problem.text().startswith("查看问题")

    # The shortcuts reach the same actions: they do nothing and ask nothing.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked to delete"))
    window.actions_.delete_selected()
    window.actions_.new_problem()
    seen: list[tuple[str, bool]] = []

    def look(editor: ProblemEditor) -> int:
        save = editor.buttons.button(editor.buttons.StandardButton.Save)
        seen.append((editor.windowTitle(), save.isEnabled()))
        return 0

    monkeypatch.setattr(ProblemEditor, "exec", look)
    window.actions_.edit_problem()
    assert seen == [("查看问题（只读）", False)]
    window.close()

    assert _versions(admin_url) == before  # nothing was written


def test_rights_taken_away_while_the_window_is_open_refuse_the_save(  # type: ignore[no-untyped-def]
        qtbot, pg_server, server_ledger, role, small_ledger, monkeypatch) -> None:
    database, admin_url = server_ledger
    for sql in (f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
                f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}"):
        pg_server.admin(sql, database=database)
    window = open_window(qtbot, small_ledger, 5)
    _connect_through_the_dialog(qtbot, window, pg_server, database, role, monkeypatch)
    assert not window.ledger.read_only and not window.banner.isVisibleTo(window)
    pg_server.admin(f"REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM {role}",
                    database=database)

    pid = problem_ids(window.ledger)[0]
    assert window.select_problem(pid)
    shown: list[str] = []

    def edit_and_save(editor: ProblemEditor) -> int:
        editor.description.setPlainText("科长想改的描述")
        assert not editor.try_save()  # refused: the editor stays open with the reason
        shown.append(editor.errors["general"].text())
        return 0

    monkeypatch.setattr(ProblemEditor, "exec", edit_and_save)
    window.actions_.edit_problem()
    assert len(shown) == 1 and READ_ONLY_SENTENCE in shown[0]
    window.close()

    admin = open_ledger(admin_url)
    try:
        assert get_problem(admin, pid).description == DESCRIPTIONS[0]
    finally:
        admin.close()
