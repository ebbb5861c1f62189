"""佐证材料 in the window: the tab lists a problem's files, takes files dropped on it, uploads
in the background, opens and saves copies, and every upload and removal undoes and redoes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QThreadPool, QUrl
from PySide6.QtGui import QDropEvent

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tests.ui.window_helpers import select_text, window  # noqa: F401
from tracker.closeout_model import EvidenceRow
from tracker.services.evidence import list_evidence
from ui.models.evidence_model import EvidenceColumn, EvidenceModel


def _rows() -> list[EvidenceRow]:
    return [EvidenceRow(1, 1, None, "整改报告.pdf", 2_500_000, "a" * 64, dt.date(2026, 11, 20),
                        "李明", "盖章版"),
            EvidenceRow(2, 1, 3, "现场照片.jpg", 800, "b" * 64, dt.date(2026, 11, 21), "", "")]


def test_the_model_passes_qt_model_tester(qtmodeltester) -> None:
    model = EvidenceModel()
    model.set_rows(_rows())
    qtmodeltester.check(model)
    assert model.index(0, EvidenceColumn.SIZE).data() == "2.4 MB"
    assert model.index(1, EvidenceColumn.SIZE).data() == "800 字节"
    model.set_rows([])
    qtmodeltester.check(model)


def _wait_files(qtbot, window, n: int) -> None:  # type: ignore[no-untyped-def]
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.waitUntil(lambda: window.detail.evidence.model.rowCount() == n, timeout=5000)


def test_upload_open_remove_and_undo(qtbot, window, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pid = select_text(window, "监控")
    tab = window.detail.evidence
    assert tab.problem_id == pid and tab.model.rowCount() == 0
    photo = tmp_path / "补装照片.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(range(200)))
    window.evidence_actions.attach([str(photo)])
    _wait_files(qtbot, window, 1)
    assert window.detail.tabs.tabText(1) == "佐证材料（1）"
    assert [r.name for r in list_evidence(window.ledger, pid)] == ["补装照片.jpg"]

    opened: list[QUrl] = []
    monkeypatch.setattr("ui.evidence_actions.QDesktopServices.openUrl", opened.append)
    tab.view.selectRow(0)
    tab.open_button.click()
    assert Path(opened[0].toLocalFile()).read_bytes() == photo.read_bytes()

    window.stack.undo()
    _wait_files(qtbot, window, 0)
    assert list_evidence(window.ledger, pid) == []
    window.stack.redo()
    _wait_files(qtbot, window, 1)

    tab.view.selectRow(0)
    tab.remove_button.click()
    _wait_files(qtbot, window, 0)
    window.stack.undo()
    _wait_files(qtbot, window, 1)
    (back,) = list_evidence(window.ledger, pid)
    assert back.name == "补装照片.jpg" and back.size == 202


def test_files_dropped_on_the_tab_are_uploaded(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    select_text(window, "缺编")
    tab = window.detail.evidence
    doc = tmp_path / "会议纪要.docx"
    doc.write_bytes(b"PK docx")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(doc)), QUrl("https://example.invalid/x.pdf")])
    with qtbot.waitSignal(tab.attach_requested) as got:
        event = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, data,
                           Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        tab.dropEvent(event)
    assert got.args == [[str(doc)]]
    _wait_files(qtbot, window, 1)


def test_a_file_too_big_is_refused_with_the_limit(qtbot, window, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tracker.services.closeout_settings import set_closeout_setting

    set_closeout_setting(window.ledger, "evidence.max_mb", "1")
    select_text(window, "缺编")
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(b"0" * (1024 * 1024 + 1))
    said: list[str] = []
    monkeypatch.setattr(window, "show_error", lambda e: said.append(str(e)))
    window.evidence_actions.failed.disconnect()
    window.evidence_actions.failed.connect(said.append)
    window.evidence_actions.attach([str(big)])
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert "超过每个佐证材料 1 MB" in said[0]
    assert window.detail.evidence.model.rowCount() == 0
