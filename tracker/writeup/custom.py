"""A clerk's own Word template (.docx with Jinja2 placeholders, rendered by docxtpl): the
context it receives is the same facts the built-in templates print; every name is listed in
docs/report-templates.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracker.domain import MeasureRow, ProblemRow
from tracker.errors import ValidationError
from tracker.services.period import KINDS
from tracker.summary import cn_date, percent
from tracker.writeup import words as w
from tracker.writeup.data import default_title, since_phrase
from tracker.writeup.model import ReportData


def _measure(n: int, m: MeasureRow, data: ReportData) -> dict[str, Any]:
    return {
        "n": n, "text": w.bare(m.text), "lead_unit": m.lead_unit, "owner": m.owner,
        "deadline": m.deadline_text, "status": m.status.label,
        "overdue": m.is_overdue(data.as_of),
        "status_sentence": w.measure_status(m, data.as_of),
        "notes": [{"date": cn_date(x.noted_on), "text": x.text} for x in m.notes],
        "notes_text": w.notes_text(m), "paragraph": w.measure_paragraph(n, m, data.as_of),
    }


def _problem(n: int, p: ProblemRow, data: ReportData) -> dict[str, Any]:
    return {
        "n": n, "cn": w.cn_number(n), "seq": p.seq, "description": w.bare(p.description),
        "category": p.category, "goal": p.goal, "source": p.source, "lead_unit": p.lead_unit,
        "co_units": p.co_units, "leader": p.leader, "owner": p.owner,
        "deadline": p.deadline_text, "status": p.status.label,
        "overdue": w.is_alarm(p, data.as_of),
        "status_sentence": w.problem_status(p, data.as_of),
        "inline_measures": w.inline_measures(p),
        "measures": [_measure(i, m, data) for i, m in enumerate(p.measures, start=1)],
    }


def context(data: ReportData, key: str = "situation") -> dict[str, Any]:
    """Everything a template can print, as plain strings, numbers, lists and dicts."""
    s = data.summary
    counter = iter(range(1, len(data.problems) + 1))
    sources: list[dict[str, Any]] = [{
        "n": i, "cn": w.cn_number(i), "name": g.name, "doc_number": g.doc_number,
        "issuer": g.issuer,
        "problems": [_problem(next(counter), p, data) | {"section": w.section(j)}
                     for j, p in enumerate(g.problems, start=1)],
    } for i, g in enumerate(data.groups, start=1)]
    ctx: dict[str, Any] = {
        "title": default_title(data.options, key, data), "org": data.options.org,
        "date": w.signature_date(data.date), "as_of": cn_date(data.as_of),
        "sentence": data.sentence, "total": s.total, "measures_total": s.measures,
        "completed": s.completed, "closed": s.closed, "overdue": s.overdue,
        "ongoing": s.ongoing, "rate": percent(s.rate),
        "sources": sources, "problems": [p for src in sources for p in src["problems"]],
        "units": [{"n": i, "unit": u.unit, "total": u.total, "completed": u.completed,
                   "open": u.open, "overdue": u.overdue, "ongoing": u.ongoing,
                   "rate": percent(u.rate)} for i, u in enumerate(data.units, start=1)],
        "since": "", "since_sentence": "", "period": None,
    }
    if data.period is not None and data.since is not None:
        ctx["since"] = cn_date(data.since)
        ctx["since_sentence"] = data.since_sentence
        ctx["period"] = {
            "range": since_phrase(data.since, data.as_of),
            "kinds": [{"key": k, "label": label, "count": len(data.period.rows(k)),
                       "problems": [{"description": w.bare(p.description),
                                     "lead_unit": p.lead_unit} for p in data.period.rows(k)]}
                      for k, label in KINDS],
            "units": [{"n": i, "unit": u.unit, "total": u.total, "completed": u.completed,
                       "overdue_now": u.overdue_now, "overdue_before": u.overdue_before,
                       "changes": dict(u.changes)}
                      for i, u in enumerate(data.unit_periods, start=1)],
        }
    return ctx


def render_template(template: Path, data: ReportData, out: Path) -> Path:
    """Fill a clerk's .docx template with the report's facts."""
    try:
        from docxtpl import DocxTemplate
        from jinja2 import TemplateError
    except ImportError as exc:  # an install without the optional library
        raise ValidationError("未安装 docxtpl，无法使用自定义 Word 模板。") from exc
    if not template.is_file():
        raise ValidationError(f"找不到模板文件“{template}”。")
    try:
        doc = DocxTemplate(str(template))
        doc.render(context(data), autoescape=True)
    except TemplateError as exc:
        raise ValidationError(f"模板“{template.name}”中的占位符有误：{exc}") from exc
    except (KeyError, ValueError, OSError) as exc:
        raise ValidationError(f"无法读取模板“{template.name}”：{exc}") from exc
    doc.save(str(out))
    return out
