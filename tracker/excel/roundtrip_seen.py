"""What the unit saw: a problem and its measures as they were when the ledger was exported,
rebuilt from the change history (each field changed after the export time put back to its
value before that change). Without it, a value the app changed after the export would look
like the unit's edit, because the file still shows the old value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tracker.domain import DeadlineKind, ProblemRow, Status
from tracker.services.history import ChangeRow

PROBLEM_TEXT = ("description", "goal", "co_units", "leader", "owner", "remarks")


@dataclass(frozen=True)
class SeenMeasure:
    """A measure's exported values."""

    text: str
    lead_unit: str  # as the ledger showed it: the measure's unit, else the problem's
    deadline: dt.date | None
    deadline_kind: DeadlineKind
    deadline_text: str
    status: Status
    owner: str = ""  # 责任人 as the ledger showed it: the measure's, else the problem's
    co_units: str = ""  # 配合单位, likewise
    percent: int | None = None  # 完成进度


@dataclass(frozen=True)
class SeenProblem:
    """A problem's exported values: text fields by name (category by its name too)."""

    fields: Mapping[str, str]
    measures: Mapping[int, SeenMeasure]


def current_view(p: ProblemRow) -> SeenProblem:
    """What is stored now (the export is current: nothing changed since)."""
    fields = {f: getattr(p, f) for f in PROBLEM_TEXT}
    fields["category"] = p.category
    measures = {m.id: SeenMeasure(m.text, m.lead_unit or p.lead_unit, m.deadline,
                                  m.deadline_kind, m.deadline_text, m.status,
                                  m.owner or p.owner, m.co_units or p.co_units, m.percent)
                for m in p.measures}
    return SeenProblem(fields, measures)


class ExportHistory:
    """Undoes, for one problem, every recorded change made at or after the export time."""

    def __init__(self, exported_at: dt.datetime, unit_names: Mapping[int, str],
                 category_names: Mapping[int, str]) -> None:
        self.exported_at = exported_at
        self.unit_names = unit_names
        self.category_names = category_names

    def seen(self, p: ProblemRow, changes: Iterable[ChangeRow]) -> SeenProblem:
        """``p`` as exported, given the problem's change history."""
        first: dict[tuple[str, int, str], str] = {}
        for c in sorted(changes, key=lambda c: c.id):
            if c.at >= self.exported_at and c.action == "update":
                first.setdefault((c.entity, c.entity_id, c.field), c.old)
        now = current_view(p)

        def before(entity: str, entity_id: int, fld: str) -> str | None:
            return first.get((entity, entity_id, fld))

        fields = dict(now.fields)
        for fld in PROBLEM_TEXT:
            old = before("problem", p.id, fld)
            if old is not None:
                fields[fld] = old
        old_cat = before("problem", p.id, "category_id")
        if old_cat is not None:
            fields["category"] = self._name(self.category_names, old_cat)
        old_lead = before("problem", p.id, "lead_unit_id")
        problem_lead = p.lead_unit if old_lead is None else self._name(self.unit_names, old_lead)
        measures = {}
        for m in p.measures:
            cur = now.measures[m.id]
            unit = before("measure", m.id, "lead_unit_id")
            own = m.lead_unit if unit is None else self._name(self.unit_names, unit)
            date = before("measure", m.id, "deadline")
            kind = before("measure", m.id, "deadline_kind")
            status = before("measure", m.id, "status")
            percent = before("measure", m.id, "percent")
            measures[m.id] = SeenMeasure(
                text=_or(before("measure", m.id, "text"), cur.text),
                lead_unit=own or problem_lead,
                deadline=cur.deadline if date is None else _date(date),
                deadline_kind=cur.deadline_kind if kind is None else DeadlineKind(kind),
                deadline_text=_or(before("measure", m.id, "deadline_text"), cur.deadline_text),
                status=cur.status if status is None else Status(status),
                owner=_or(before("measure", m.id, "owner"), m.owner) or fields["owner"],
                co_units=_or(before("measure", m.id, "co_units"), m.co_units) or fields["co_units"],
                percent=cur.percent if percent is None else _int(percent),
            )
        return SeenProblem(fields, measures)

    @staticmethod
    def _name(names: Mapping[int, str], old: str) -> str:
        return names.get(int(old), "") if old.strip().isdigit() else ""


def _or(old: str | None, current: str) -> str:
    return current if old is None else old


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def parse_exported_at(value: object) -> dt.datetime | None:
    """The export time the marker sheet records (ISO text), or None."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
