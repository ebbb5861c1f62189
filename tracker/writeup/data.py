"""Gather a report's facts through the services, as of the chosen day: the summary and its
sentence (the very one `rectify summary --as-of D` prints), per-unit counts, the problems with
measures and notes as they stood, and for a 调度通报 what changed since the last period."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import ProblemRow
from tracker.errors import ValidationError
from tracker.services.as_of import problems_as_of
from tracker.services.period import period_changes, unit_periods
from tracker.services.reference import list_sources
from tracker.summary import ledger_summary, sentence, summary_with_units
from tracker.writeup.model import ReportData, ReportOptions, SourceGroup


def gather(ledger: Ledger, options: ReportOptions) -> ReportData:
    """The facts of the report the options ask for."""
    as_of = options.as_of or clock.today()
    if options.since is not None and options.since >= as_of:
        raise ValidationError(
            f"上期日期（{options.since.isoformat()}）应早于截至日期（{as_of.isoformat()}）。")
    flt = dataclasses.replace(options.flt, as_of=as_of)
    summary, units = summary_with_units(ledger, flt, as_of)
    rows = problems_as_of(ledger, flt, as_of, with_notes=True)
    data = ReportData(
        options=options, as_of=as_of, date=options.date or clock.today(), summary=summary,
        sentence=sentence(summary, options.subject),
        units=tuple(units),
        groups=_groups(ledger, rows),
    )
    if options.since is None:
        return data
    since_flt = dataclasses.replace(options.flt, as_of=options.since)
    before = ledger_summary(ledger, since_flt, options.since)
    changes = period_changes(ledger, options.flt, options.since, as_of)
    return dataclasses.replace(
        data, since=options.since, since_summary=before,
        since_sentence=sentence(before, options.subject), period=changes,
        unit_periods=tuple(unit_periods(changes)))


def _groups(ledger: Ledger, rows: list[ProblemRow]) -> tuple[SourceGroup, ...]:
    """The problems by source, sources in the ledger's order (newest year first), problems in
    ledger order within each."""
    sources = {s.id: s for s in list_sources(ledger)}
    order = {sid: i for i, sid in enumerate(sources)}
    by_source: dict[int | None, list[ProblemRow]] = {}
    for p in rows:
        by_source.setdefault(p.source_id, []).append(p)
    out = []
    for sid in sorted(by_source, key=lambda k: order.get(k, len(order)) if k is not None
                      else len(order) + 1):
        src = sources.get(sid) if sid is not None else None
        problems = tuple(sorted(by_source[sid], key=lambda p: (p.seq, p.id)))
        name = src.display if src is not None else "其他问题"
        out.append(SourceGroup(name, src.doc_number if src else "", src.issuer if src else "",
                               problems))
    return tuple(out)


def default_title(options: ReportOptions, key: str, data: ReportData) -> str:
    """The title when the clerk gave none: 关于…问题整改情况的报告, …整改进展通报, …调度通报."""
    if options.title:
        return options.title
    scope = options.scope
    if not scope and len(data.groups) == 1:
        scope = data.groups[0].name
    scope = scope.removesuffix("问题")
    if key == "inspection":
        return f"关于{scope}问题整改进展情况的通报" if scope else "关于巡察反馈问题整改进展情况的通报"
    if key == "dispatch":
        return f"关于{scope}问题整改工作调度情况的通报" if scope else "关于问题整改工作调度情况的通报"
    return f"关于{scope}问题整改情况的报告" if scope else "关于问题整改情况的报告"


def since_phrase(since: dt.date, until: dt.date) -> str:
    """本期 in words: 2026年10月1日至2026年11月30日 (the last report's day to this one's)."""
    from tracker.summary import cn_date

    return f"{cn_date(since)}至{cn_date(until)}"
