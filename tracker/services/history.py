"""The change history: who changed what, when, from what to what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from tracker.db.engine import Ledger
from tracker.db.orm import ChangeLog

ENTITY_LABELS = {"problem": "问题", "measure": "措施", "note": "进展", "source": "来源",
                 "unit": "单位", "category": "类别"}
ACTION_LABELS = {"create": "新增", "update": "修改", "delete": "删除", "restore": "恢复"}
FIELD_LABELS = {
    "description": "存在问题", "goal": "整改目标", "co_units": "配合单位", "leader": "责任领导",
    "owner": "责任人", "remarks": "备注", "category_id": "问题类别", "lead_unit_id": "牵头单位",
    "source_id": "问题来源", "seq": "序号", "text": "内容", "position": "顺序",
    "deadline": "整改时限（日期）", "deadline_text": "整改时限", "deadline_kind": "时限类型",
    "status": "状态", "done_on": "完成日期", "closeout_by": "销号核验人",
    "closeout_on": "销号日期", "closeout_note": "销号说明", "title": "名称", "kind": "类型",
    "year": "年份", "issuer": "发文单位", "doc_number": "文号", "issued_on": "发文日期",
    "name": "名称", "contact": "联系人", "phone": "电话",
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

    @property
    def description(self) -> str:
        """A Chinese sentence: 修改 措施#12 状态：in_progress → done."""
        what = f"{ACTION_LABELS.get(self.action, self.action)}{ENTITY_LABELS.get(self.entity, self.entity)}"
        field = FIELD_LABELS.get(self.field, self.field)
        if self.action == "update":
            return f"{what}（编号{self.entity_id}）{field}：“{self.old}” → “{self.new}”"
        return f"{what}（编号{self.entity_id}）：{self.new or self.old}"


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
        return [ChangeRow(c.id, c.at, c.user, c.entity, c.entity_id, c.problem_id, c.action,
                          c.field, c.old, c.new) for c in s.scalars(q)]
