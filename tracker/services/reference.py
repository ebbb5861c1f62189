"""The managed lists: sources, units, categories, and the ledger's own settings."""

from __future__ import annotations


from sqlalchemy import func, select

from tracker import clock
from tracker.db.engine import Ledger
from tracker.db.orm import Category, LedgerSetting, Measure, Problem, Source, Unit
from tracker.domain import (
    DEFAULT_CATEGORIES,
    CategoryRow,
    SourceInput,
    SourceRow,
    UnitRow,
)
from tracker.errors import NotFoundError, ValidationError
from tracker.services.records import assign, checked_text, record, source_row
from tracker.services.search_index import problems_of_unit, rebuild_search_texts


def source_values(data: SourceInput) -> dict[str, object]:
    title = checked_text(data.title, "title", "来源名称").strip()
    if not title:
        raise ValidationError("请填写问题来源的名称。", "title")
    if data.year is not None and not 1990 <= data.year <= 2100:
        raise ValidationError(f"年份 {data.year} 不合理，应在1990至2100之间。", "year")
    return dict(
        title=title, kind=data.kind.value, year=data.year,
        issuer=checked_text(data.issuer, "issuer", "发文单位").strip(),
        doc_number=checked_text(data.doc_number, "doc_number", "文号").strip(),
        issued_on=data.issued_on,
    )


def list_sources(ledger: Ledger) -> list[SourceRow]:
    """Every source with its number of problems, newest year first."""
    with ledger.read() as s:
        counts = dict(s.execute(select(Problem.source_id, func.count()).group_by(Problem.source_id)).all())
        q = select(Source).order_by(Source.year.desc().nulls_last(), Source.id)
        return [source_row(src, counts.get(src.id, 0)) for src in s.scalars(q)]


def create_source(ledger: Ledger, data: SourceInput) -> SourceRow:
    """Add a source."""
    with ledger.write() as s:
        src = Source(**source_values(data))
        s.add(src)
        s.flush()
        record(s, "source", src.id, None, "create", "title", "", src.title)
        return source_row(src)


def find_or_create_source(ledger: Ledger, data: SourceInput) -> SourceRow:
    """The source with this title (and year), created when there is none."""
    with ledger.write() as s:
        values = source_values(data)
        q = select(Source).where(Source.title == values["title"])
        if data.year is not None:
            q = q.where(Source.year == data.year)
        src = s.scalars(q).first()
        if src is None:
            src = Source(**values)
            s.add(src)
            s.flush()
            record(s, "source", src.id, None, "create", "title", "", src.title)
        return source_row(src)


def update_source(ledger: Ledger, source_id: int, data: SourceInput) -> SourceRow:
    """Change a source's fields."""
    with ledger.write() as s:
        src = s.get(Source, source_id)
        if src is None:
            raise NotFoundError("问题来源不存在，可能已被删除。")
        assign(s, src, "source", None, **source_values(data))
        return source_row(src)


def delete_source(ledger: Ledger, source_id: int) -> None:
    """Delete a source that no problem refers to."""
    with ledger.write() as s:
        src = s.get(Source, source_id)
        if src is None:
            raise NotFoundError("问题来源不存在，可能已被删除。")
        used = s.scalar(select(func.count()).where(Problem.source_id == source_id)) or 0
        if used:
            raise ValidationError(f"“{src.title}”下还有 {used} 个问题，不能删除。请先删除或移走这些问题。")
        record(s, "source", src.id, None, "delete", "title", src.title, "")
        s.delete(src)


def list_units(ledger: Ledger) -> list[UnitRow]:
    """Every unit by name."""
    with ledger.read() as s:
        return [UnitRow(u.id, u.name, u.contact, u.phone)
                for u in s.scalars(select(Unit).order_by(Unit.name))]


def save_unit(ledger: Ledger, unit_id: int | None, name: str, contact: str = "",
              phone: str = "") -> UnitRow:
    """Create (unit_id None) or change a unit; names stay unique."""
    name = checked_text(name, "name", "单位名称").strip()
    if not name:
        raise ValidationError("请填写单位名称。", "name")
    with ledger.write() as s:
        clash = s.scalars(select(Unit).where(Unit.name == name)).first()
        if clash is not None and clash.id != unit_id:
            raise ValidationError(f"已有名为“{name}”的单位。", "name")
        unit = Unit(name=name, contact="", phone="") if unit_id is None else s.get(Unit, unit_id)
        if unit is None:
            raise NotFoundError("单位不存在，可能已被删除。")
        if unit_id is None:
            s.add(unit)
            s.flush()
            record(s, "unit", unit.id, None, "create", "name", "", name)
        renamed = unit_id is not None and unit.name != name
        assign(s, unit, "unit", None, name=name, contact=checked_text(contact, "contact", "联系人"),
               phone=checked_text(phone, "phone", "电话"))
        if renamed:
            # Search matches unit names: every problem the unit leads must find the new name.
            s.flush()
            rebuild_search_texts(s, problems_of_unit(unit.id))
        return UnitRow(unit.id, unit.name, unit.contact, unit.phone)


def delete_unit(ledger: Ledger, unit_id: int) -> None:
    """Delete a unit that no problem or measure leads."""
    with ledger.write() as s:
        unit = s.get(Unit, unit_id)
        if unit is None:
            raise NotFoundError("单位不存在，可能已被删除。")
        used = (s.scalar(select(func.count()).where(Problem.lead_unit_id == unit_id)) or 0) + (
            s.scalar(select(func.count()).where(Measure.lead_unit_id == unit_id)) or 0)
        if used:
            raise ValidationError(f"“{unit.name}”仍是 {used} 个问题或措施的牵头单位，不能删除。")
        record(s, "unit", unit.id, None, "delete", "name", unit.name, "")
        s.delete(unit)


def list_categories(ledger: Ledger) -> list[CategoryRow]:
    """Categories in their managed order."""
    with ledger.read() as s:
        q = select(Category).order_by(Category.position, Category.id)
        return [CategoryRow(c.id, c.name, c.position) for c in s.scalars(q)]


def ensure_default_categories(ledger: Ledger) -> None:
    """Fill an empty category list with the usual 评价重点."""
    with ledger.write() as s:
        if s.scalar(select(func.count()).select_from(Category)):
            return
        for i, name in enumerate(DEFAULT_CATEGORIES, start=1):
            s.add(Category(name=name, position=i))


def save_category(ledger: Ledger, category_id: int | None, name: str) -> CategoryRow:
    """Create or rename a category."""
    name = checked_text(name, "name", "类别名称").strip()
    if not name:
        raise ValidationError("请填写类别名称。", "name")
    with ledger.write() as s:
        clash = s.scalars(select(Category).where(Category.name == name)).first()
        if clash is not None and clash.id != category_id:
            raise ValidationError(f"已有名为“{name}”的类别。", "name")
        if category_id is None:
            pos = (s.scalar(select(func.max(Category.position))) or 0) + 1
            cat = Category(name=name, position=pos)
            s.add(cat)
        else:
            found = s.get(Category, category_id)
            if found is None:
                raise NotFoundError("类别不存在，可能已被删除。")
            cat = found
            cat.name = name
        s.flush()
        return CategoryRow(cat.id, cat.name, cat.position)


def delete_category(ledger: Ledger, category_id: int) -> None:
    """Delete a category; its problems become uncategorised."""
    with ledger.write() as s:
        # Through the ORM, not one UPDATE: each problem's version moves and the history says
        # so, so an older exported ledger sent back cannot silently restore the category.
        for p in s.scalars(select(Problem).where(Problem.category_id == category_id)):
            assign(s, p, "problem", p.id, category_id=None)
            p.updated_at = clock.now().replace(microsecond=0)
        cat = s.get(Category, category_id)
        if cat is not None:
            record(s, "category", cat.id, None, "delete", "name", cat.name, "")
            s.delete(cat)


def get_setting(ledger: Ledger, key: str, default: str = "") -> str:
    """A value stored in the ledger file itself."""
    with ledger.read() as s:
        row = s.get(LedgerSetting, key)
        return row.value if row else default


def set_setting(ledger: Ledger, key: str, value: str) -> None:
    """Store a value in the ledger file itself."""
    with ledger.write() as s:
        row = s.get(LedgerSetting, key)
        if row is None:
            s.add(LedgerSetting(key=key, value=value))
        else:
            row.value = value
