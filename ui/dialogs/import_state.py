"""What the pages of the import wizard share: the open workbook, the guessed and edited
column mappings, the corrections typed for bad cells, the plan, the clerk's conflict choices;
for a unit's returned package, its layout (the ledger taken out into a working folder) and
what happens to each of its files."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tracker.db.engine import Ledger
from tracker.excel.header_detect import ColumnMapping
from tracker.excel.import_plan import ImportOptions, ImportPlan
from tracker.excel.import_preview import SheetGuess
from tracker.excel.package_plan import PackageLayout, PackagePlan
from tracker.excel.reading import WorkbookData
from tracker.services.imports import ImportResult

ALL_SHEETS = ""  # the sheet choice meaning: every sheet with a ledger header


@dataclass
class ImportState:
    """Mutable state of one wizard run; only the GUI thread touches it."""

    ledger: Ledger
    path: Path | None = None
    book: WorkbookData | None = None
    guesses: list[SheetGuess] = field(default_factory=list)
    sheet: str = ALL_SHEETS
    mappings: dict[str, ColumnMapping] = field(default_factory=dict)
    source: str = ""
    blank_continues: bool = False
    as_new: bool = False  # an exported file's rows become new problems (its ids ignored)
    corrections: dict[tuple[str, int, int], str] = field(default_factory=dict)
    date: dt.date | None = None  # the 填报日期 the clerk chose (the file has none)
    plan: ImportPlan | None = None
    choices: dict[str, str] = field(default_factory=dict)
    result: ImportResult | None = None
    package: PackageLayout | None = None  # a .zip was chosen: its ledger is ``book``
    files: PackagePlan | None = None  # the package's files, planned with ``plan``
    workdir: tempfile.TemporaryDirectory[str] | None = None  # where its ledger was taken out

    def close_book(self) -> None:
        """Release the open workbook (a new file was chosen, or the wizard closed)."""
        if self.book is not None:
            self.book.close()
            self.book = None
        self.date = None  # the chosen 填报日期 belonged to that file
        self.package = None
        self.files = None
        if self.workdir is not None:
            self.workdir.cleanup()
            self.workdir = None

    def new_workdir(self) -> Path:
        """A fresh working folder for a package's ledger (removed by close_book)."""
        if self.workdir is not None:
            self.workdir.cleanup()
        self.workdir = tempfile.TemporaryDirectory(prefix="rectify-package-")
        return Path(self.workdir.name)

    def chosen(self) -> list[SheetGuess]:
        """The sheets that will be imported."""
        if self.sheet != ALL_SHEETS:
            return [g for g in self.guesses if g.name == self.sheet]
        return [g for g in self.guesses if g.is_ledger]

    def guess(self, name: str) -> SheetGuess | None:
        """The first reading of a sheet."""
        return next((g for g in self.guesses if g.name == name), None)

    def mapping(self, name: str) -> ColumnMapping | None:
        """The mapping in effect for a sheet: the clerk's edit, else the detected one."""
        if name in self.mappings:
            return self.mappings[name]
        g = self.guess(name)
        return g.mapping if g else None

    def options(self) -> ImportOptions:
        """The options build_plan gets."""
        mappings = {g.name: m for g in self.chosen() if (m := self.mapping(g.name)) is not None}
        return ImportOptions(
            sheet=self.sheet or None, source=self.source.strip() or None, mappings=mappings,
            corrections=dict(self.corrections), blank_continues=self.blank_continues,
            as_new=self.as_new, date=self.date)
