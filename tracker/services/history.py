"""The change history: who changed what, when, from what to what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.engine import Ledger
from tracker.db.orm import Category, ChangeLog, Source, Unit
from tracker.domain import STATUS_LABELS, SourceKind

ENTITY_LABELS = {"problem": "问题", "measure": "措施", "note": "进展", "source": "来源",
                 "evidence": "佐证材料",
                 "unit": "单位", "category": "类别", "ledger": "台账"}
ACTION_LABELS = {"create": "新增", "update": "修改", "delete": "删除", "restore": "恢复",
                 "return": "退回", "extend": "延期", "recheck": "回头看"}
FIELD_LABELS = {
    "description": "存在问题", "goal": "整改目标", "co_units": "配合单位", "leader": "责任领导",
    "owner": "责任人", "remarks": "备注", "category_id": "问题类别", "lead_unit_id": "牵头单位",
    "source_id": "问题来源", "seq": "序号", "text": "内容", "position": "顺序",
    "deadline": "整改时限（日期）", "deadline_text": "整改时限", "deadline_kind": "时限类型",
    "status": "状态", "done_on": "完成日期", "closeout_by": "销号核验人",
    "closeout_on": "销号日期", "closeout_note": "销号说明", "title": "名称", "kind": "类型",
    "year": "年份", "issuer": "发文单位", "doc_number": "文号", "issued_on": "发文日期",
    "name": "名称", "contact": "联系人", "phone": "电话", "percent": "完成进度",
}


@dataclass(frozen=True)
class ChangeRow:
    """One recorded change."""

    id: int
    at: dt.datetime
    user: str
    entity: str
    entity_id: int
    problem_id: int | None
    action: str
    field: str
    old: str
    new: str
    # What a clerk reads for old/new: 整改中 rather than in_progress, a unit's name, not its id.
    old_text: str = ""
    new_text: str = ""

    @property
    def description(self) -> str:
        """A Chinese sentence: 修改措施（编号12）状态：“整改中” → “已完成”."""
        if self.entity == "ledger" and self.action == "restore":
            kept = f"（恢复前的台账保存为“{self.old}”）" if self.old else ""
            return f"从备份“{self.new}”恢复台账{kept}"
        what = f"{ACTION_LABELS.get(self.action, self.action)}{ENTITY_LABELS.get(self.entity, self.entity)}"
        field = FIELD_LABELS.get(self.field, self.field)
        old, new = self.old_text or self.old, self.new_text or self.new
        if self.action == "return":
            return f"退回措施（编号{self.entity_id}），理由：{self.new}"
        if self.action == "recheck":
            return f"回头看问题（编号{self.entity_id}）：{self.old}" + (f"，{self.new}" if self.new else "")
        if self.action in ("update", "extend"):
            return f"{what}（编号{self.entity_id}）{field}：“{old}” → “{new}”"
        return f"{what}（编号{self.entity_id}）：{new or old}"


_STATUS_WORDS = {s.value: label for s, label in STATUS_LABELS.items()}
_KIND_WORDS = {"dated": "具体日期", "ongoing": "长期坚持", "none": "未填写"}
_SOURCE_KIND_WORDS = {k.value: k.label for k in SourceKind}
_NAMED = {"category_id": Category, "lead_unit_id": Unit, "source_id": Source}


def _readable(s: Session, field: str, value: str, cache: dict[tuple[str, str], str]) -> str:
    """The clerk's word for a stored value; ids are looked up as names (as they are now)."""
    if not value:
        return value
    if field == "status":
        return _STATUS_WORDS.get(value, value)
    if field == "deadline_kind":
        return _KIND_WORDS.get(value, value)
    if field == "percent":
        return f"{value}%"
    if field == "kind":
        return _SOURCE_KIND_WORDS.get(value, value)
    model = _NAMED.get(field)
    if model is None or not value.isdigit():
        return value
    key = (field, value)
    if key not in cache:
        obj = s.get(model, int(value))
        name = (getattr(obj, "name", "") or getattr(obj, "title", "")) if obj is not None else ""
        cache[key] = name or f"编号{value}（已删除）"
    return cache[key]


def list_history(
    ledger: Ledger, problem_id: int | None = None, limit: int | None = None
) -> list[ChangeRow]:
    """Recorded changes, newest first; only one problem's when ``problem_id`` is given."""
    with ledger.read() as s:
        q = select(ChangeLog).order_by(ChangeLog.id.desc())
        if problem_id is not None:
            q = q.where(ChangeLog.problem_id == problem_id)
        if limit is not None:
            q = q.limit(limit)
        cache: dict[tuple[str, str], str] = {}
        return [ChangeRow(c.id, c.at, c.user, c.entity, c.entity_id, c.problem_id, c.action,
                          c.field, c.old, c.new, _readable(s, c.field, c.old, cache),
                          _readable(s, c.field, c.new, cache)) for c in s.scalars(q)]
