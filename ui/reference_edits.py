"""Changes to the managed lists (units, sources, categories) made undoable: each service
call is paired with the call that takes it back. Re-created entries get new ids, so each
command follows the id it last saw."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from tracker.db.engine import Ledger
from tracker.domain import CategoryRow, ProblemFilter, SourceInput, SourceRow, UnitRow
from tracker.services import reference as ref
from tracker.services.problems import restore_problem
from tracker.services.queries import get_problems, problem_ids
from ui.edits import EditController


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReferenceEdits", text)


class ReferenceEdits:
    """Saves and deletes entries of the managed lists; with an EditController each becomes
    one undo step on the window's stack, without one they are plain service calls."""

    def __init__(self, ledger: Ledger, edits: EditController | None = None) -> None:
        self.ledger = ledger
        self.edits = edits

    def _record(self, text: str, undo: Callable[[], object], redo: Callable[[], object]) -> None:
        if self.edits is not None:
            self.edits.record(text, undo, redo)

    # ------------------------------------------------------------ units

    def save_unit(self, unit_id: int | None, name: str, contact: str, phone: str) -> UnitRow:
        """Create or change a unit."""
        before = next((u for u in ref.list_units(self.ledger) if u.id == unit_id), None)
        row = ref.save_unit(self.ledger, unit_id, name, contact, phone)
        current = {"id": row.id}
        led = self.ledger
        if before is None:
            def undo() -> None:
                ref.delete_unit(led, current["id"])

            def redo() -> None:
                current["id"] = ref.save_unit(led, None, row.name, row.contact, row.phone).id
            self._record(_tr("新建单位“{n}”").format(n=row.name), undo, redo)
        else:
            b = before
            self._record(_tr("修改单位“{n}”").format(n=row.name),
                         lambda: ref.save_unit(led, b.id, b.name, b.contact, b.phone),
                         lambda: ref.save_unit(led, row.id, row.name, row.contact, row.phone))
        return row

    def delete_unit(self, unit_id: int) -> None:
        """Delete a unit nothing refers to."""
        before = next(u for u in ref.list_units(self.ledger) if u.id == unit_id)
        ref.delete_unit(self.ledger, unit_id)
        current = {"id": unit_id}
        led = self.ledger

        def undo() -> None:
            current["id"] = ref.save_unit(led, None, before.name, before.contact,
                                          before.phone).id
        self._record(_tr("删除单位“{n}”").format(n=before.name), undo,
                     lambda: ref.delete_unit(led, current["id"]))

    # ------------------------------------------------------------ sources

    def save_source(self, source_id: int | None, data: SourceInput) -> SourceRow:
        """Create or change a source."""
        before = next((s for s in ref.list_sources(self.ledger) if s.id == source_id), None)
        row = (ref.create_source(self.ledger, data) if source_id is None
               else ref.update_source(self.ledger, source_id, data))
        current = {"id": row.id}
        led = self.ledger
        if before is None:
            def undo() -> None:
                ref.delete_source(led, current["id"])

            def redo() -> None:
                current["id"] = ref.create_source(led, data).id
            self._record(_tr("新建来源“{n}”").format(n=row.display), undo, redo)
        else:
            old = source_input(before)
            self._record(_tr("修改来源“{n}”").format(n=row.display),
                         lambda: ref.update_source(led, row.id, old),
                         lambda: ref.update_source(led, row.id, data))
        return row

    def delete_source(self, source_id: int) -> None:
        """Delete a source holding no problem."""
        before = next(s for s in ref.list_sources(self.ledger) if s.id == source_id)
        ref.delete_source(self.ledger, source_id)
        current = {"id": source_id}
        led = self.ledger

        def undo() -> None:
            current["id"] = ref.create_source(led, source_input(before)).id
        self._record(_tr("删除来源“{n}”").format(n=before.display), undo,
                     lambda: ref.delete_source(led, current["id"]))

    # ------------------------------------------------------------ categories

    def save_category(self, category_id: int | None, name: str) -> CategoryRow:
        """Create or rename a category."""
        before = next((c for c in ref.list_categories(self.ledger) if c.id == category_id), None)
        row = ref.save_category(self.ledger, category_id, name)
        current = {"id": row.id}
        led = self.ledger
        if before is None:
            def undo() -> None:
                ref.delete_category(led, current["id"])

            def redo() -> None:
                current["id"] = ref.save_category(led, None, row.name).id
            self._record(_tr("新建类别“{n}”").format(n=row.name), undo, redo)
        else:
            b = before
            self._record(_tr("重命名类别“{n}”").format(n=row.name),
                         lambda: ref.save_category(led, b.id, b.name),
                         lambda: ref.save_category(led, row.id, row.name))
        return row

    def delete_category(self, category_id: int) -> None:
        """Delete a category; undo brings it back with its problems in it."""
        led = self.ledger
        before = next(c for c in ref.list_categories(led) if c.id == category_id)
        ids = problem_ids(led, ProblemFilter(category_id=category_id))
        snapshots = get_problems(led, ids, with_measures=True, with_notes=True)
        ref.delete_category(led, category_id)
        versions = {p.id: p.version for p in get_problems(led, ids)}
        current = {"id": category_id}

        def undo() -> None:
            current["id"] = ref.save_category(led, None, before.name).id
            for snap in snapshots:  # restoring the snapshot puts the category back on it
                versions[snap.id] = restore_problem(
                    led, snap, expected_version=versions.get(snap.id)).version

        def redo() -> None:
            ref.delete_category(led, current["id"])
            versions.update({p.id: p.version for p in get_problems(led, ids)})
        self._record(_tr("删除类别“{n}”").format(n=before.name), undo, redo)


def source_input(row: SourceRow) -> SourceInput:
    """The input that recreates a source as it is."""
    return SourceInput(title=row.title, kind=row.kind, year=row.year, issuer=row.issuer,
                       doc_number=row.doc_number, issued_on=row.issued_on)
