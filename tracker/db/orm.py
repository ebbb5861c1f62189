"""SQLAlchemy 2 typed ORM: the tables of one ledger file. Never leaves tracker.services."""

from __future__ import annotations

import datetime as dt

from tracker import clock

from sqlalchemy import (
    Boolean,
    Date,
    LargeBinary,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints so batch migrations (SQLite table rebuilds) can address them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _now() -> dt.datetime:
    return clock.now().replace(microsecond=0)


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class Source(Base):
    """问题来源: a feedback letter, report, audit or inspection that produced problems."""

    __tablename__ = "source"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="evaluation")
    title: Mapped[str] = mapped_column(Text, default="", index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    issuer: Mapped[str] = mapped_column(Text, default="")
    doc_number: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Unit(Base):
    """A lead or cooperating unit (organisation)."""

    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    contact: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")


class Category(Base):
    """问题类别 / 评价重点, a managed list."""

    __tablename__ = "category"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)


class Problem(Base):
    """One problem. status/deadline/open_deadline/counts/search_text are a cache of the
    measures, recomputed by tracker.rollup in the same transaction as every change, so the
    ledger can be filtered and sorted in SQL at 100,000 problems."""

    __tablename__ = "problem"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="RESTRICT"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer, default=0)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("category.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    lead_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    co_units: Mapped[str] = mapped_column(Text, default="")
    leader: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    closeout_by: Mapped[str] = mapped_column(Text, default="")
    closeout_on: Mapped[dt.date | None] = mapped_column(Date)
    closeout_note: Mapped[str] = mapped_column(Text, default="")
    # Derived cache (see class docstring).
    status: Mapped[str] = mapped_column(String(20), default="not_started", index=True)
    deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    open_deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    measures_total: Mapped[int] = mapped_column(Integer, default=0)
    measures_done: Mapped[int] = mapped_column(Integer, default=0)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    measures: Mapped[list[Measure]] = relationship(
        back_populates="problem",
        order_by="Measure.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    source: Mapped[Source | None] = relationship()
    category: Mapped[Category | None] = relationship()
    lead_unit: Mapped[Unit | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    # One index per sort of the table, in the order of its ORDER BY (migration 0003).
    __table_args__ = (
        Index("ix_problem_source_seq", "source_id", "seq"),
        Index("ix_problem_unit_seq", "lead_unit_id", "seq"),
        Index("ix_problem_category_seq", "category_id", "seq"),
        Index("ix_problem_owner_seq", "owner", "seq"),
        Index("ix_problem_description", "description"),
        Index("ix_problem_deadline_order", text("deadline IS NULL"), "deadline", "seq"),
        Index("ix_problem_status_order", text(
            "(CASE status WHEN 'not_started' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'ongoing' "
            "THEN 2 WHEN 'done' THEN 3 WHEN 'closed' THEN 4 ELSE 9 END)"), "seq"),
        Index("ix_problem_progress_order",
              text("(measures_done * 1.0 / max(measures_total, 1))"), "seq"),
    )


class Measure(Base):
    """One rectification measure of a problem; status lives here."""

    __tablename__ = "measure"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problem.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    lead_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    co_units: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    deadline_kind: Mapped[str] = mapped_column(String(10), default="none")
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    # 完成进度 as stated (0–100); None when nobody stated one.
    percent: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    problem: Mapped[Problem] = relationship(back_populates="measures")
    lead_unit: Mapped[Unit | None] = relationship()
    notes: Mapped[list[ProgressNote]] = relationship(
        back_populates="measure",
        order_by="(ProgressNote.noted_on, ProgressNote.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": version}


class ProgressNote(Base):
    """整改进展: a dated note on a measure."""

    __tablename__ = "progress_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    noted_on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    measure: Mapped[Measure] = relationship(back_populates="notes")


class ChangeLog(Base):
    """One changed field (or a create/delete) with who and when: the ledger's history."""

    __tablename__ = "change_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    user: Mapped[str] = mapped_column(Text, default="")
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    problem_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(10))
    field: Mapped[str] = mapped_column(Text, default="")
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")


class LedgerSetting(Base):
    """Key/value settings stored in the ledger itself (填报单位, last backup day, ...)."""

    __tablename__ = "ledger_setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class EvidenceBlob(Base):
    """The bytes of an evidence file, stored once however many problems it is attached to."""

    __tablename__ = "evidence_blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    # Deferred: listing evidence (or the ledger) never reads the files themselves.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class Evidence(Base):
    """佐证材料: one file attached to a problem (and optionally one of its measures)."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problem.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="SET NULL"))
    sha256: Mapped[str] = mapped_column(
        ForeignKey("evidence_blob.sha256", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    added_on: Mapped[dt.date] = mapped_column(Date)
    added_by: Mapped[str] = mapped_column(Text, default="")


class Extension(Base):
    """延期: a measure's deadline moved, with the reason, who approved it and when."""

    __tablename__ = "extension"
    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True)
    from_date: Mapped[dt.date | None] = mapped_column(Date)
    from_text: Mapped[str] = mapped_column(Text, default="")
    to_date: Mapped[dt.date | None] = mapped_column(Date)
    to_text: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    approved_by: Mapped[str] = mapped_column(Text, default="")
    on: Mapped[dt.date] = mapped_column(Date)


class Recheck(Base):
    """回头看: a check months after close-out; a failed one reopens the problem."""

    __tablename__ = "recheck"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problem.id", ondelete="CASCADE"), index=True)
    on: Mapped[dt.date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(Text, default="")
