"""The selected problem written as HTML for the detail pane: its fields, each measure with
its deadline and status, dated progress notes with links to add or delete one."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import QCoreApplication

from tracker import rules
from tracker.domain import MeasureRow, ProblemRow
from tracker.services.history import ChangeRow
from ui.colors import PALETTES, Band, deadline_hint, warning_of

ADD_NOTE = "note-add"
DELETE_NOTE = "note-del"


def _tr(text: str) -> str:
    return QCoreApplication.translate("DetailPane", text)


def _badge(text: str, band: Band) -> str:
    pal = PALETTES.get(band)
    if pal is None:
        return f"<b>{escape(text)}</b>"
    return (f"<span style='background:{pal.background.name()}; color:{pal.foreground.name()};"
            f" font-weight:bold; white-space:nowrap;'>&nbsp;{escape(text)}&nbsp;</span>")


def _measure_band(m: MeasureRow, as_of: dt.date, soon: int, later: int) -> Band:
    if not m.status.is_open:
        return Band.CLOSED if m.status.value == "closed" else Band.DONE
    if m.deadline is None:
        return Band.NONE
    left = (m.deadline - as_of).days
    if left < 0:
        return Band.OVERDUE
    if left <= soon:
        return Band.SOON
    return Band.LATER if left <= later else Band.NONE


def problem_html(p: ProblemRow, as_of: dt.date, soon: int, later: int, editable: bool) -> str:
    """The whole detail of one problem."""
    band = warning_of(p, as_of, soon, later)
    hint = deadline_hint(p, as_of)
    status = p.status.label + (f"（{hint}）" if hint and band is Band.OVERDUE else "")
    rows = [
        (_tr("问题来源"), p.source), (_tr("问题类别"), p.category), (_tr("整改目标"), p.goal),
        (_tr("牵头单位"), p.lead_unit), (_tr("配合单位"), p.co_units),
        (_tr("责任领导"), p.leader), (_tr("责任人"), p.owner),
        (_tr("整改时限"), p.deadline_text + (f"（{hint}）" if hint else "")),
        (_tr("整改进度"), _tr("已完成措施 {d} 项，共 {t} 项").format(d=p.measures_done,
                                                             t=p.measures_total)),
        (_tr("备注"), p.remarks),
    ]
    if p.closeout_on is not None or p.closeout_by:
        when = p.closeout_on.isoformat() if p.closeout_on else ""
        rows.append((_tr("销号"), f"{when} {p.closeout_by} {p.closeout_note}".strip()))
    parts = [
        f"<p style='font-size:large;'><b>{p.seq}．{escape(p.description)}</b></p>",
        f"<p>{_badge(status, band)}</p>",
        "<table cellspacing='0' cellpadding='3'>",
    ]
    for label, value in rows:
        if value:
            parts.append(f"<tr><td style='color:#555; white-space:nowrap;' valign='top'>"
                         f"{escape(label)}</td><td>{escape(value)}</td></tr>")
    parts.append("</table>")
    parts.append(f"<h4>{_tr('整改措施')}（{len(p.measures)}）</h4>")
    if not p.measures:
        parts.append(f"<p style='color:#888;'>{_tr('还没有整改措施。')}</p>")
    for i, m in enumerate(p.measures, start=1):
        parts.append(_measure_html(i, m, as_of, soon, later, editable))
    return "".join(parts)


def _measure_html(i: int, m: MeasureRow, as_of: dt.date, soon: int, later: int,
                  editable: bool) -> str:
    band = _measure_band(m, as_of, soon, later)
    facts = []
    if m.lead_unit:
        facts.append(_tr("牵头：") + escape(m.lead_unit))
    if m.co_units:
        facts.append(_tr("配合：") + escape(m.co_units))
    if m.owner:
        facts.append(_tr("责任人：") + escape(m.owner))
    if m.deadline_text or m.deadline:
        facts.append(_tr("时限：") + escape(rules.measure_deadline_words(m)))
    if m.percent is not None:
        facts.append(_tr("完成进度：") + f"{m.percent}%")
    out = [f"<p style='margin-bottom:2px;'><b>{i}．</b>{escape(m.text)}</p>",
           # The status first: at the end of a wrapped line Qt would split 整改中 in two.
           f"<p style='margin-top:0; margin-left:18px; color:#444;'>"
           f"{_badge(m.status.label, band)}　{'　'.join(facts)}</p>"]
    notes = sorted(m.notes, key=lambda n: (n.noted_on, n.id))
    if notes:
        out.append("<ul style='margin-top:0;'>")
        for n in notes:
            delete = (f" <a href='{DELETE_NOTE}:{n.id}' style='color:#999;'>{_tr('删除')}</a>"
                      if editable else "")
            out.append(f"<li><span style='color:#555;'>{n.noted_on.isoformat()}</span>　"
                       f"{escape(n.text)}{delete}</li>")
        out.append("</ul>")
    if editable:
        out.append(f"<p style='margin-top:0; margin-left:18px;'><a href='{ADD_NOTE}:{m.id}'>"
                   f"{_tr('＋ 添加进展')}</a></p>")
    return "".join(out)


def history_html(changes: list[ChangeRow]) -> str:
    """The change history as a table, newest first."""
    if not changes:
        return f"<p style='color:#888;'>{_tr('没有修改记录。')}</p>"
    parts = ["<table cellspacing='0' cellpadding='3' width='100%'>",
             f"<tr><th align='left'>{_tr('时间')}</th><th align='left'>{_tr('修改人')}</th>"
             f"<th align='left'>{_tr('内容')}</th></tr>"]
    for c in changes:
        parts.append(f"<tr><td valign='top' style='white-space:nowrap;'>"
                     f"{c.at.strftime('%Y-%m-%d %H:%M')}</td>"
                     f"<td valign='top'>{escape(c.user)}</td>"
                     f"<td>{escape(c.description)}</td></tr>")
    parts.append("</table>")
    return "".join(parts)
