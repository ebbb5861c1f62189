"""Enums and frozen dataclasses: the only objects that leave the core and reach the UI or CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class Status(str, Enum):
    """Rectification status of a measure (and, derived, of a problem)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CLOSED = "closed"
    ONGOING = "ongoing"

    @property
    def label(self) -> str:
        """The Chinese word a clerk reads."""
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """True while the item still needs work (not done and not closed out)."""
        return self not in (Status.DONE, Status.CLOSED)

    @classmethod
    def from_label(cls, text: str) -> Status:
        """Accept either the code (``done``) or the Chinese label (``已完成``)."""
        t = text.strip()
        for status in cls:
            if t in (status.value, status.label):
                return status
        raise ValueError(t)


STATUS_LABELS: dict[Status, str] = {
    Status.NOT_STARTED: "未启动",
    Status.IN_PROGRESS: "整改中",
    Status.DONE: "已完成",
    Status.CLOSED: "已销号",
    Status.ONGOING: "长期坚持",
}


class DeadlineKind(str, Enum):
    """How a deadline is meant: a date, ongoing by nature, or not given."""

    DATED = "dated"
    ONGOING = "ongoing"
    NONE = "none"


class SourceKind(str, Enum):
    """Where a batch of problems came from."""

    EVALUATION = "evaluation"
    SELF_CHECK = "self_check"
    INSPECTION = "inspection"
    AUDIT = "audit"
    SPECIAL = "special"
    ASSIGNED = "assigned"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The Chinese name of the kind."""
        return SOURCE_KIND_LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> SourceKind:
        """Accept the code or the Chinese label; unknown text is ``OTHER``."""
        t = text.strip()
        for kind in cls:
            if t in (kind.value, kind.label):
                return kind
        return cls.OTHER


SOURCE_KIND_LABELS: dict[SourceKind, str] = {
    SourceKind.EVALUATION: "督导评价反馈",
    SourceKind.SELF_CHECK: "自查自评",
    SourceKind.INSPECTION: "巡视巡察",
    SourceKind.AUDIT: "专项审计",
    SourceKind.SPECIAL: "专项督导",
    SourceKind.ASSIGNED: "上级交办",
    SourceKind.OTHER: "其他",
}

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "党的领导",
    "教育优先发展",
    "教育经费保障",
    "学校布局与学位",
    "学前教育",
    "义务教育",
    "普通高中",
    "职业教育",
    "特殊教育",
    "教师队伍",
    "立德树人与素质教育",
    "双减与五项管理",
    "平安校园",
    "食堂与食品安全",
    "教育信息化",
    "教育督导",
    "规范办学",
    "其他",
)


# ---------------------------------------------------------------- read rows


@dataclass(frozen=True)
class SourceRow:
    """One source of problems (a feedback letter, a report, an audit)."""

    id: int
    kind: SourceKind
    title: str
    year: int | None
    issuer: str
    doc_number: str
    issued_on: dt.date | None
    problem_count: int = 0

    @property
    def display(self) -> str:
        """Short name for lists: the title, else kind and year (tracker.rules.source_label)."""
        from tracker.rules import source_label  # rules imports this module

        return source_label(self.title, self.kind, self.year)


@dataclass(frozen=True)
class UnitRow:
    """A responsible organisation."""

    id: int
    name: str
    contact: str
    phone: str


@dataclass(frozen=True)
class CategoryRow:
    """One managed problem category (评价重点)."""

    id: int
    name: str
    position: int


@dataclass(frozen=True)
class ProgressNoteRow:
    """A dated progress note on a measure."""

    id: int
    measure_id: int
    noted_on: dt.date
    text: str


@dataclass(frozen=True)
class MeasureRow:
    """One rectification measure as stored."""

    id: int
    problem_id: int
    position: int
    text: str
    lead_unit: str
    co_units: str
    owner: str
    deadline: dt.date | None
    deadline_text: str
    deadline_kind: DeadlineKind
    status: Status
    done_on: dt.date | None
    version: int
    notes: tuple[ProgressNoteRow, ...] = ()
    # Set once the deadline was extended (延期): the first deadline, as written.
    original_deadline: dt.date | None = None
    original_deadline_text: str = ""
    # 完成进度 (0–100) when one was stated; None otherwise.
    percent: int | None = None

    @property
    def extended(self) -> bool:
        """True when the deadline has been extended at least once."""
        return bool(self.original_deadline_text) or self.original_deadline is not None

    def is_overdue(self, as_of: dt.date) -> bool:
        """Open (and not 长期坚持), dated and past its deadline on ``as_of``."""
        from tracker import rules  # rules imports this module

        return rules.measure_overdue(self.status, self.deadline, as_of)

    @property
    def latest_progress(self) -> str:
        """The newest progress note's text, or empty."""
        if not self.notes:
            return ""
        return max(self.notes, key=lambda n: (n.noted_on, n.id)).text


@dataclass(frozen=True)
class ProblemRow:
    """One problem with its derived status and deadline; measures when asked for."""

    id: int
    seq: int
    source_id: int | None
    source: str
    category_id: int | None
    category: str
    description: str
    goal: str
    lead_unit: str
    co_units: str
    leader: str
    owner: str
    remarks: str
    status: Status
    deadline: dt.date | None
    open_deadline: dt.date | None
    deadline_text: str
    measures_total: int
    measures_done: int
    closeout_by: str
    closeout_on: dt.date | None
    closeout_note: str
    version: int
    updated_at: dt.datetime | None
    measures: tuple[MeasureRow, ...] = ()
    created_on: dt.date | None = None
    evidence_names: tuple[str, ...] = ()  # filled where shown (export, list --json)

    def is_overdue(self, as_of: dt.date) -> bool:
        """Any open measure past its deadline on ``as_of`` (tracker.rules.overdue)."""
        from tracker import rules  # rules imports this module

        return rules.overdue(self.open_deadline, as_of)

    def days_left(self, as_of: dt.date) -> int | None:
        """Days from ``as_of`` to the earliest open deadline (negative when overdue)."""
        from tracker import rules

        return rules.days_left(self.open_deadline, as_of)


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class SourceInput:
    """What a clerk types to create or change a source."""

    title: str
    kind: SourceKind = SourceKind.EVALUATION
    year: int | None = None
    issuer: str = ""
    doc_number: str = ""
    issued_on: dt.date | None = None


@dataclass(frozen=True)
class MeasureInput:
    """A measure as typed; ``id`` set when it already exists."""

    text: str
    lead_unit: str = ""
    co_units: str = ""
    owner: str = ""
    deadline_text: str = ""
    status: Status = Status.NOT_STARTED
    done_on: dt.date | None = None
    id: int | None = None
    # Set when the caller already resolved the deadline (an Excel date cell); else parsed.
    deadline: dt.date | None = None
    deadline_kind: DeadlineKind | None = None
    # 完成进度 (0–100); None: nobody stated one (not the same as 0 %).
    percent: int | None = None


@dataclass(frozen=True)
class ProblemInput:
    """A problem as typed, with its measures in order."""

    description: str
    source_id: int | None = None
    category: str = ""
    goal: str = ""
    lead_unit: str = ""
    co_units: str = ""
    leader: str = ""
    owner: str = ""
    remarks: str = ""
    seq: int | None = None
    measures: tuple[MeasureInput, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ProblemFilter:
    """Which problems a query returns. Empty fields do not filter."""

    source_id: int | None = None
    unit: str | None = None
    category_id: int | None = None
    status: Status | None = None
    overdue: bool = False
    due_within_days: int | None = None
    as_of: dt.date | None = None
    text: str = ""
    ids: tuple[int, ...] | None = None
    # 回头看 due: closed out at least this many months ago and not rechecked since.
    recheck_due_months: int | None = None
