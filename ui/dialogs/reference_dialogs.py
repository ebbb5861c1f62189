"""管理问题来源 / 责任单位 / 问题类别: the managed lists, each in its own dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from tracker.db.engine import Ledger
from tracker.domain import CategoryRow, SourceRow, UnitRow
from tracker.services.reference import list_categories, list_sources, list_units
from ui.dialogs.list_manager import ListManagerDialog
from ui.dialogs.source_form import SourceForm
from ui.edits import EditController
from ui.reference_edits import ReferenceEdits


class SourcesDialog(ListManagerDialog):
    """Sources with their problem counts; a source still holding problems cannot be deleted."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None,
                 read_only: bool = False, edits: EditController | None = None) -> None:
        super().__init__(ledger, self.tr("问题来源"), parent, read_only)
        self.edits = ReferenceEdits(ledger, edits)
        self.source_form = SourceForm(self.form)
        QVBoxLayout(self.form).addWidget(self.source_form)
        self._rows: dict[int, SourceRow] = {}
        self.reload()

    def load_rows(self) -> list[tuple[int, str]]:
        rows = list_sources(self.ledger)
        self._rows = {r.id: r for r in rows}
        return [(r.id, self.tr("{name}（{n}个问题）").format(name=r.display, n=r.problem_count))
                for r in rows]

    def show_row(self, row_id: int | None) -> None:
        self.source_form.load(self._rows.get(row_id) if row_id is not None else None)

    def save_row(self, row_id: int | None) -> int:
        return self.edits.save_source(row_id, self.source_form.data()).id

    def delete_row(self, row_id: int) -> None:
        self.edits.delete_source(row_id)

    def describe(self, row_id: int) -> str:
        row = self._rows.get(row_id)
        return row.display if row else ""


class UnitsDialog(ListManagerDialog):
    """Responsible units with a contact person and phone (printed on 催办单)."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None,
                 read_only: bool = False, edits: EditController | None = None) -> None:
        super().__init__(ledger, self.tr("责任单位"), parent, read_only)
        self.edits = ReferenceEdits(ledger, edits)
        self.name = QLineEdit(self.form)
        self.contact = QLineEdit(self.form)
        self.phone = QLineEdit(self.form)
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("单位名称"), self.name)
        form.addRow(self.tr("联系人"), self.contact)
        form.addRow(self.tr("联系电话"), self.phone)
        self._rows: dict[int, UnitRow] = {}
        self.reload()

    def load_rows(self) -> list[tuple[int, str]]:
        rows = list_units(self.ledger)
        self._rows = {r.id: r for r in rows}
        return [(r.id, r.name) for r in rows]

    def show_row(self, row_id: int | None) -> None:
        row = self._rows.get(row_id) if row_id is not None else None
        self.name.setText(row.name if row else "")
        self.contact.setText(row.contact if row else "")
        self.phone.setText(row.phone if row else "")

    def save_row(self, row_id: int | None) -> int:
        return self.edits.save_unit(row_id, self.name.text(), self.contact.text(),
                                    self.phone.text()).id

    def delete_row(self, row_id: int) -> None:
        self.edits.delete_unit(row_id)


class CategoriesDialog(ListManagerDialog):
    """Problem categories (评价重点); deleting one leaves its problems uncategorised
    (undo puts the category back on them)."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None,
                 read_only: bool = False, edits: EditController | None = None) -> None:
        super().__init__(ledger, self.tr("问题类别"), parent, read_only)
        self.edits = ReferenceEdits(ledger, edits)
        self.name = QLineEdit(self.form)
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("类别名称"), self.name)
        self._rows: dict[int, CategoryRow] = {}
        self.reload()

    def load_rows(self) -> list[tuple[int, str]]:
        rows = list_categories(self.ledger)
        self._rows = {r.id: r for r in rows}
        return [(r.id, r.name) for r in rows]

    def show_row(self, row_id: int | None) -> None:
        row = self._rows.get(row_id) if row_id is not None else None
        self.name.setText(row.name if row else "")

    def save_row(self, row_id: int | None) -> int:
        return self.edits.save_category(row_id, self.name.text()).id

    def delete_row(self, row_id: int) -> None:
        self.edits.delete_category(row_id)
