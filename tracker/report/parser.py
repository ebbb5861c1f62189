"""The whole parse: report text -> title, year, document number, problems and their measures.

One path for every document: normalize (paragraphs) -> outline (the tree of headings and items,
the section each line stands in, the lines that are never items) -> classify: the problem items
the tree shows (``shapes``), then the other lines by section (``sections``, ``items``) and the
table rows (``tables``) -> pair (``pairing``: labels, quoted problems, order) -> categories.
Status: IN_PROGRESS when the report gives a 整改情况 (work already done), else NOT_STARTED.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from tracker.deadlines import parse_deadline
from tracker.domain import DeadlineKind, Status
from tracker.errors import DeadlineError
from tracker.report import facts as fx
from tracker.report import headings as hd
from tracker.report import markers as mk
from tracker.report.categories import guess_category
from tracker.report.classify import is_closing_line, is_note
from tracker.report.header import find_doc_number, find_title, find_year
from tracker.report.model import ExtractedMeasure, ExtractedProblem, ExtractedReport
from tracker.report.normalize import paragraphs
from tracker.report.outline import read
from tracker.report.pairing import Draft, norm
from tracker.report.sections import blocks, has_problem_section, read_blocks
from tracker.report.shapes import find_problems
from tracker.report.tables import problems_from_tables

_SENTENCE_MARK = re.compile(r"[，,。；;：:、]")
NO_SECTION = "未在文档中找到“存在问题”部分，没有识别出问题。"
EMPTY_SECTION = "文档中有“存在问题”部分，但没有从中识别出具体问题，请检查文档或手工录入。"
FAILED = "无法解析这份文档的文字，没有识别出问题。请另存为 .docx 或纯文本后重试，或手工录入。"


def _in_document_order(from_tree: list[Draft], others: list[Draft]) -> list[Draft]:
    """Items read from the tree and items read by section, merged by the paragraph each starts at."""
    if not from_tree or not others:
        return from_tree + others
    return sorted(from_tree + others, key=lambda d: d.order)


def _leftover_heading(text: str) -> bool:
    """A title-like line ("整改任务清单", "组织保障"), not a sentence describing a problem."""
    t = text.strip()
    return len(t) <= 20 and not _SENTENCE_MARK.search(t)


def _freeze(d: Draft, issued_on: dt.date | None) -> ExtractedProblem:
    """The public, frozen form of a draft; status from the text first, then from its labels."""
    found = d.facts if d.facts is not None else [fx.pull_facts(m) for m in d.measures]
    measures = tuple(_measure(f, issued_on, d.review) for f in found if f.text.strip())
    status = d.status if d.status is not None else _from_measures(measures)
    if status is None:
        status = Status.IN_PROGRESS if d.done and d.measures else Status.NOT_STARTED
    return ExtractedProblem(
        description=d.description.strip(),
        category=guess_category(d.description, _area(d)),
        status=status,
        measures=measures,
        review=d.review,
    )


def _from_measures(measures: tuple[ExtractedMeasure, ...]) -> Status | None:
    """A problem's status from its measures' own: all done, all ongoing, else under way."""
    said = [m.status for m in measures if m.status is not None]
    if not said:
        return None
    if len(said) == len(measures) and len(set(said)) == 1:
        return said[0]
    if set(said) <= {Status.DONE, Status.ONGOING} and len(said) == len(measures):
        return Status.ONGOING  # the rest is done; what remains never ends
    return Status.IN_PROGRESS


def _measure(f: fx.Facts, issued_on: dt.date | None, review: bool) -> ExtractedMeasure:
    """A measure with its deadline read against the document's date (or today, via clock)."""
    deadline = None
    kind = None
    text = f.deadline_text
    if text:
        from tracker import clock

        try:
            parsed = parse_deadline(text, issued_on or clock.today())
            deadline, kind = parsed.date, parsed.kind
        except DeadlineError:
            # A deadline no rule reads: kept in the measure's text for the clerk, marked.
            return ExtractedMeasure(f"{f.text.strip()}（整改时限：{text}）", f.lead_unit, text, None, None,
                                    f.status, True)
        if kind is DeadlineKind.NONE:
            kind = None
    return ExtractedMeasure(f.text.strip(), f.lead_unit, text, deadline, kind, f.status, review)


def _area(d: Draft) -> str:
    """The area the report names for a problem: its own "X方面：" lead, else its sub-heading."""
    m = mk.AREA_LEAD.match(d.description)
    return m.group(1) if m else d.hint


def _parse(text: str) -> ExtractedReport:
    """The parse proper; may raise on a bug, which ``parse_report_text`` turns into a message."""
    # 1. The outline: tree, headings, sections and line kinds, for every document.
    outline = read([p for p in paragraphs(text) if p.table or not is_note(p.text)])
    every = outline.paras
    # 2. Classify: problem items the tree shows, then the remaining lines by their section.
    found, claimed = find_problems(outline)
    sections = blocks(outline, claimed)
    # 3. Pair: labels, quoted problems, lists by order (review), then the table rows.
    col = read_blocks(sections)
    from_tree = [Draft(o.description, o.hint, [m.text for m in o.measures], o.done_label, not o.measures,
                     facts=list(o.measures), status=o.status, order=o.index) for o in found]
    unassigned = [m.strip() for m in col.unassigned if m.strip() and not is_closing_line(m)]
    if from_tree:
        # Beside items the outline read, a short unpunctuated "problem" is a heading left over.
        col.drafts = [d for d in col.drafts if not _leftover_heading(d.description)]
        if not col.drafts:
            unassigned = []  # 下一步 plans after the items: nothing of the ledger
    drafts = _in_document_order(from_tree, col.drafts)
    known = {norm(d.description) for d in drafts}
    for tp in problems_from_tables(outline.tables):
        if norm(tp.description) not in known:
            drafts.append(Draft(tp.description, tp.category_hint, [f.text for f in tp.facts], False, False,
                                facts=tp.facts, status=tp.status))
    issued_on = fx.document_date([p.text for p in every if not p.table])
    problems = tuple(p for p in (_freeze(d, issued_on) for d in drafts) if p.description)
    title = find_title(every)
    message = ""
    if not problems:
        has_section = has_problem_section(sections) or bool(found)
        message = EMPTY_SECTION if has_section else NO_SECTION
    return ExtractedReport(
        title=title,
        year=find_year(title, every),
        doc_number=find_doc_number(every),
        problems=problems,
        unassigned_measures=tuple(unassigned),
        message=message,
        issued_on=issued_on,
    )


def parse_report_text(text: str) -> ExtractedReport:
    """Problems and measures found in a report's text; never raises."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    elif not isinstance(text, str):
        text = ""
    try:
        return _parse(text)
    except Exception:  # noqa: BLE001 - a clerk gets a sentence, never a traceback
        return ExtractedReport("", None, "", (), (), FAILED)
    finally:
        hd.clear_caches()


PASTED_FALLBACK = "文字中没有“存在问题”之类的标题，已把全部文字当作问题清单识别，请逐条核对。"
_FALLBACK_HEADING = "存在问题"
_FALLBACK_MIN_PROBLEMS = 2


def parse_pasted_text(text: str) -> ExtractedReport:
    """Like ``parse_report_text``, but a bare pasted list (no section heading) is read as the
    problem section; ``message`` then says so, because the clerk must check every item."""
    report = parse_report_text(text)
    if report.problems or report.message != NO_SECTION or not isinstance(text, str):
        return report
    # The clerk pasted only the list: read it under a made-up heading, keep the header facts.
    listed = parse_report_text(f"{_FALLBACK_HEADING}\n{text}")
    # One "problem" is any lone sentence (a notice, a greeting): a list has at least two.
    if len(listed.problems) < _FALLBACK_MIN_PROBLEMS:
        return report
    # Every item of a pasted list is a guess: all are marked for review.
    marked = tuple(replace(p, review=True) for p in listed.problems)
    return ExtractedReport(
        title=report.title,
        year=report.year,
        doc_number=report.doc_number,
        problems=marked,
        unassigned_measures=listed.unassigned_measures,
        message=PASTED_FALLBACK,
        issued_on=report.issued_on,
    )
