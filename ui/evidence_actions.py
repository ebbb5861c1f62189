"""佐证材料 in the window: upload (button or drop) in the background, open, save as, remove, each
upload and removal one undo step. The files themselves go through tracker.services.evidence."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QFileDialog, QWidget

from tracker.db.engine import Ledger
from tracker.errors import TrackerError
from tracker.services import evidence
from ui.tasks import run_in_background
from ui.widgets.evidence_tab import EvidenceTab

Files = list[tuple[str, bytes, str, int | None]]  # name, bytes, note, measure id


class EvidenceCommand(QUndoCommand):
    """Files attached (or removed): undo removes them (or attaches them again). The bytes
    are kept here so the step can go back and forth; ids change each time, as rows do."""

    def __init__(self, owner: EvidenceActions, text: str, problem_id: int, files: Files,
                 ids: list[int], attached: bool) -> None:
        super().__init__(text)
        self.owner, self.problem_id, self.files = owner, problem_id, files
        self.ids, self.attached, self._first = ids, attached, True

    def redo(self) -> None:
        if self._first:  # the step itself already happened
            self._first = False
            return
        self._flip()

    def undo(self) -> None:
        self._flip()

    def _flip(self) -> None:
        ledger = self.owner.ledger
        try:
            if self.attached:
                for i in self.ids:
                    evidence.remove_evidence(ledger, i)
                self.ids = []
            else:
                self.ids = [r.id for name, data, note, mid in self.files
                            for r in evidence.attach_bytes(ledger, self.problem_id,
                                                           [(name, data)], mid, note)]
            self.attached = not self.attached
        except TrackerError as exc:
            self.owner.failed.emit(exc.message)
        self.owner.reload(self.problem_id)


class EvidenceActions(QObject):
    """Connects the evidence tab to the services and the window's undo stack."""

    failed = Signal(str)  # one sentence for the window's error line
    changed = Signal(int)  # problem id whose evidence changed

    def __init__(self, ledger: Ledger, tab: EvidenceTab, stack: QUndoStack,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.ledger, self.tab, self.stack, self.window = ledger, tab, stack, parent
        self._tmp = Path(tempfile.mkdtemp(prefix="rectify-evidence-"))
        tab.problem_changed.connect(self.reload)
        tab.attach_requested.connect(self.attach)
        tab.open_requested.connect(self.open)
        tab.save_requested.connect(self.save_as)
        tab.remove_requested.connect(self.remove)

    def reload(self, problem_id: int) -> None:
        """Show the problem's files (a quick read: names and sizes, never the bytes)."""
        if not problem_id:
            return
        try:
            self.tab.set_rows(problem_id, evidence.list_evidence(self.ledger, problem_id))
        except TrackerError as exc:
            self.failed.emit(exc.message)
        self.changed.emit(problem_id)

    def attach(self, paths: list[str]) -> None:
        """Upload files (ask for them when none are given) off the GUI thread."""
        pid = self.tab.problem_id
        if not pid:
            return
        if not paths:
            paths, _ = QFileDialog.getOpenFileNames(self.window, self.tr("上传佐证材料"))
            if not paths:
                return
        ledger = self.ledger

        def work(_progress: Any) -> list[Any]:
            return evidence.attach_files(ledger, pid, [Path(p) for p in paths])

        def done(rows: object) -> None:
            assert isinstance(rows, list)
            files: Files = [(r.name, evidence.evidence_data(ledger, r.id)[1], r.note, r.measure_id)
                            for r in rows]
            text = self.tr("上传佐证材料 {n} 个").format(n=len(rows))
            self.stack.push(EvidenceCommand(self, text, pid, files, [r.id for r in rows], True))
            self.reload(pid)

        def failed(exc: BaseException) -> None:
            self.failed.emit(getattr(exc, "message", str(exc)))

        run_in_background(work, done, failed, self.window, self.tr("正在上传佐证材料…"))

    def remove(self, evidence_id: int) -> None:
        """Remove one file, as an undo step."""
        pid = self.tab.problem_id
        try:
            row, data = evidence.evidence_data(self.ledger, evidence_id)
            evidence.remove_evidence(self.ledger, evidence_id)
        except TrackerError as exc:
            self.failed.emit(exc.message)
            return
        text = self.tr("删除佐证材料“{name}”").format(name=row.name)
        self.stack.push(EvidenceCommand(self, text, pid, [(row.name, data, row.note,
                                                            row.measure_id)], [], False))
        self.reload(pid)

    def open(self, evidence_id: int) -> Path | None:
        """Open a file with the program the desktop uses for it (from a private temp copy)."""
        target = self._copy(evidence_id, self._tmp / str(evidence_id))
        if target is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target

    def save_as(self, evidence_id: int) -> Path | None:
        """Save a file where the clerk says."""
        try:
            row, _ = evidence.evidence_data(self.ledger, evidence_id)
        except TrackerError as exc:
            self.failed.emit(exc.message)
            return None
        name, _ = QFileDialog.getSaveFileName(self.window, self.tr("另存为"), row.name)
        if not name:
            return None
        return self._copy(evidence_id, Path(name).parent, Path(name).name)

    def _copy(self, evidence_id: int, folder: Path, name: str | None = None) -> Path | None:
        try:
            row, data = evidence.evidence_data(self.ledger, evidence_id)
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / (name or row.name)
            target.write_bytes(data)
            return target
        except TrackerError as exc:
            self.failed.emit(exc.message)
        except OSError as exc:
            self.failed.emit(self.tr("无法写入“{path}”：{why}").format(
                path=folder, why=exc.strerror or exc))
        return None
