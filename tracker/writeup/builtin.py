"""The built-in templates as blocks: 整改情况报告, 巡察整改通报 and 调度通报, written the way
these documents are written (the shapes are in docs/report-templates.md)."""

from __future__ import annotations

from collections.abc import Callable

from tracker.domain import ProblemRow
from tracker.services.period import KINDS, UNIT_HEADERS, unit_rows
from tracker.summary import percent
from tracker.writeup import words as w
from tracker.writeup.data import default_title, since_phrase
from tracker.writeup.model import Block, ReportData

NEXT_STEPS = "下一步工作打算"
NEXT_STEPS_HINT = "（此处由经办人填写下一步工作打算。）"
UNIT_HEADER = ("序号", "牵头单位", "问题数", "已完成", "未完成", "逾期", "长期坚持", "完成率")
UNIT_WIDTHS = (12.0, 40.0, 16.0, 16.0, 16.0, 16.0, 18.0, 18.0)


def _status_block(p: ProblemRow, data: ReportData) -> Block:
    """The problem's closing sentence; overdue ones in bold so nobody misses them."""
    text = w.problem_status(p, data.as_of)
    if w.is_alarm(p, data.as_of):
        return Block("body", strong=text)
    return Block("body", text)


def _opening(data: ReportData, tail: str) -> Block:
    """The summary sentence, exactly as `rectify summary` prints it, then the lead-in."""
    return Block("body", data.sentence + tail)


def _closing(data: ReportData) -> list[Block]:
    """署名 and 成文日期, right-aligned under the text."""
    out = []
    if data.options.org:
        out.append(Block("sign", data.options.org))
    out.append(Block("date", w.signature_date(data.date)))
    return out


def unit_table(data: ReportData) -> Block:
    """The 统计表: per lead unit, the same counts as `rectify summary --by-unit`."""
    rows = [UNIT_HEADER]
    for i, u in enumerate(data.units, start=1):
        rows.append((str(i), u.unit, str(u.total), str(u.completed), str(u.open),
                     str(u.overdue), str(u.ongoing), percent(u.rate)))
    return Block("table", rows=tuple(rows), widths=UNIT_WIDTHS)


def situation(data: ReportData) -> list[Block]:
    """整改情况报告: per source, per problem: 问题, 整改措施及进展, status sentence."""
    blocks = [Block("title", default_title(data.options, "situation", data)),
              _opening(data, "现将有关情况报告如下。")]
    n = 0
    for n, group in enumerate(data.groups, start=1):
        blocks.append(Block("h1", f"{w.chapter(n)}{group.name}整改情况"))
        for i, p in enumerate(group.problems, start=1):
            blocks.append(Block("h2", f"{w.section(i)}问题：{w.end_stop(p.description)}"))
            blocks.append(Block("h3", "整改措施及进展："))
            for j, m in enumerate(p.measures, start=1):
                blocks.append(Block("body", w.measure_paragraph(j, m, data.as_of)))
            blocks.append(_status_block(p, data))
    if data.units:
        blocks.append(Block("h1", f"{w.chapter(n + 1)}各单位整改情况统计"))
        blocks.append(unit_table(data))
    blocks.append(Block("h1", f"{w.chapter(n + 2 if data.units else n + 1)}{NEXT_STEPS}"))
    blocks.append(Block("note", NEXT_STEPS_HINT))
    return blocks + _closing(data)


def inspection(data: ReportData) -> list[Block]:
    """巡察整改通报: 一、关于“…”的问题, 整改情况：一是…；二是…。, the status sentence."""
    blocks = [Block("title", default_title(data.options, "inspection", data)),
              _opening(data, "现将整改进展情况通报如下。")]
    for i, p in enumerate(data.problems, start=1):
        blocks.append(Block("h1", f"{w.chapter(i)}关于“{w.bare(p.description)}”的问题"))
        blocks.append(Block("body", w.inline_measures(p)))
        blocks.append(_status_block(p, data))
    blocks.append(Block("h1", f"{w.chapter(len(data.problems) + 1)}{NEXT_STEPS}"))
    blocks.append(Block("note", NEXT_STEPS_HINT))
    return blocks + _closing(data)


def _period_table(data: ReportData) -> Block:
    """Per unit: problems now, done now, overdue now and last period, and each change."""
    rows = [("序号",) + UNIT_HEADERS]
    for i, row in enumerate(unit_rows(list(data.unit_periods)), start=1):
        rows.append((str(i),) + tuple(str(v) for v in row))
    return Block("table", rows=tuple(rows),
                 widths=(10.0, 36.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0))


def _change_lists(data: ReportData) -> list[Block]:
    """Each kind of change: its count, then its problems by unit."""
    assert data.period is not None
    blocks = []
    for i, (kind, label) in enumerate(KINDS, start=1):
        rows = data.period.rows(kind)
        blocks.append(Block("h2", f"{w.section(i)}{label}{len(rows)}个"))
        if not rows:
            blocks.append(Block("body", "本期无。"))
            continue
        by_unit: dict[str, list[str]] = {}
        extended = {e.problem.id: e for e in data.period.extended}
        for p in rows:
            item = w.bare(p.description)
            if kind == "extended" and p.id in extended:
                e = extended[p.id]
                item += f"（由{w.by_when(e.before)}延至{w.by_when(e.after)}）"
            by_unit.setdefault(p.lead_unit or "未填写牵头单位", []).append(item)
        for unit, items in sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            listed = "；".join(f"{j}.{t}" for j, t in enumerate(items, start=1))
            text = f"{unit}（{len(items)}个）：{listed}。"
            blocks.append(Block("body", strong=text) if kind == "overdue" else Block("body", text))
    return blocks


def dispatch(data: ReportData) -> list[Block]:
    """调度通报: this period against the last, counts and lists by unit, most overdue first."""
    if data.period is None or data.since_summary is None or data.since is None:
        from tracker.errors import ValidationError

        raise ValidationError("调度通报需要上期日期：请用 --since 指定上一次调度的日期。")
    p = data.period
    counts = p.counts()
    said = "，".join(f"{label}{counts[k]}个" for k, label in KINDS)
    blocks = [Block("title", default_title(data.options, "dispatch", data)),
              _opening(data, "现将本期整改工作调度情况通报如下。"),
              Block("h1", "一、本期整改进展"),
              Block("body", f"本期（{since_phrase(data.since, data.as_of)}），{said}。"),
              Block("table", rows=(("上期", "本期"), (data.since_sentence, data.sentence)),
                    widths=(78.0, 78.0)),
              Block("h1", "二、各单位整改情况"),
              Block("body", "按逾期问题数由多到少排列。"),
              _period_table(data),
              Block("h1", "三、本期变化明细")]
    blocks += _change_lists(data)
    blocks += [Block("h1", f"四、{NEXT_STEPS}"), Block("note", NEXT_STEPS_HINT)]
    return blocks + _closing(data)


BUILDERS: dict[str, Callable[[ReportData], list[Block]]] = {
    "situation": situation,
    "inspection": inspection,
    "dispatch": dispatch,
}
