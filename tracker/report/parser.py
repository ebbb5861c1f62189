"""The whole parse: report text -> title, year, document number, problems and their measures.

Steps: normalize (paragraphs) -> sections (blocks with a role) -> items -> pairing -> categories.
How measures find their problems is told in ``pairing``.
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
from tracker.report.header import find_doc_number, find_title, find_year
from tracker.report.items import split_items
from tracker.report.model import ExtractedMeasure, ExtractedProblem, ExtractedReport
from tracker.report.normalize import paragraphs
from tracker.report.outline import find_problems, is_closing_line, is_note
from tracker.report.pairing import Collector, Draft, feedback, from_labels, norm, problem_item
from tracker.report.sections import Block, split_blocks
from tracker.report.tables import problems_from_tables

_SENTENCE_MARK = re.compile(r"[，,。；;：:、]")
NO_SECTION = "未在文档中找到“存在问题”部分，没有识别出问题。"
EMPTY_SECTION = "文档中有“存在问题”部分，但没有从中识别出具体问题，请检查文档或手工录入。"
FAILED = "无法解析这份文档的文字，没有识别出问题。请另存为 .docx 或纯文本后重试，或手工录入。"


def _collect_block(block: Block, col: Collector) -> None:
    """Read the problems and measures of one block into ``col``."""
    texts = block.texts()
    if not texts or block.role == hd.ANNEX:
        return
    labelled = from_labels(texts, block.hint, numbered_only=not block.has_content_role)
    if labelled is not None:
        col.add_problems(labelled[0])
        col.unassigned.extend(labelled[1])
        return
    if block.role in (hd.PROBLEM, hd.MIXED):
        # A bare "整改措施：" line inside the section turns the rest of it into measures.
        cut = next((i for i, t in enumerate(texts) if i and _bare_measure_label(t)), len(texts))
        drafts = [problem_item(item, block.hint) for item in split_items(texts[:cut])]
        if not any(mk.marker_at_start(t) for t in texts[:cut]):
            for d in drafts:
                d.review = True  # bare paragraphs, no numbering: the weakest reading
        col.add_problems(drafts)
        if cut < len(texts):
            _collect_measures(texts[cut + 1:], block.hint, col)
    elif block.role == hd.MEASURE:
        _collect_measures(texts, block.hint, col)


_ORDER_BUDGET = 2_000_000


def _in_document_order(outline: list[Draft], others: list[Draft], paras: list) -> list[Draft]:
    """Outline items and section-read items merged in the order the document gives them."""
    if not outline or not others or len(others) * len(paras) > _ORDER_BUDGET:
        return outline + others
    keys = [norm(p.text) for p in paras]
    last = -1
    for d in others:
        key = norm(d.description)[:12]
        at = next((i for i, k in enumerate(keys) if key and key in k), -1) if key else -1
        d.order = at if at >= 0 else last
        last = d.order
    return sorted(outline + others, key=lambda d: d.order)


def _leftover_heading(text: str) -> bool:
    """A title-like line ("整改任务清单", "组织保障"), not a sentence describing a problem."""
    t = text.strip()
    return len(t) <= 20 and not _SENTENCE_MARK.search(t)


def _bare_measure_label(text: str) -> bool:
    """A line that is only a measure label ("整改措施：")."""
    m = mk.MEASURE_LABEL.match(text)
    return m is not None and m.end() == len(text.rstrip())


def _collect_measures(texts: list[str], hint: str, col: Collector) -> None:
    """Measures of a 整改措施 section: feedback items join their problem, the rest wait for pairing."""
    free: list[str] = []
    for item in split_items(texts):
        fb = feedback(item)
        if fb:
            col.add_feedback(fb[0], fb[1], hint)
            continue
        label = mk.MEASURE_LABEL.match(item)
        text = item[label.end():].strip() if label else item
        if text:
            free.append(text)
    col.add_free_measures(free)


def _fallback(blocks: list[Block], col: Collector) -> None:
    """No problem section: take labels and 针对“…”的问题 items wherever they stand."""
    texts = [t for b in blocks if b.role != hd.ANNEX for t in b.texts()]
    labelled = from_labels(texts, "", numbered_only=False)
    if labelled is not None:
        col.add_problems(labelled[0])
        col.unassigned.extend(labelled[1])
        return
    drafts = []
    for t in texts:
        marker = mk.marker_at_start(t)
        fb = feedback(t[marker.end:] if marker else t)
        if fb:
            drafts.append(Draft(fb[0], "", fb[1], False, not fb[1], review=True))
    col.add_problems(drafts)


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
    every = [p for p in paragraphs(text) if p.table or not is_note(p.text)]
    found, claimed = find_problems(every)
    paras = [p for i, p in enumerate(every) if i not in claimed]
    blocks = split_blocks(paras)
    col = Collector()
    for block in blocks:
        _collect_block(block, col)
    col.close_group()
    if not col.drafts:
        _fallback(blocks, col)
        col.close_group()
    outline = [Draft(o.description, o.hint, [m.text for m in o.measures], o.done_label, not o.measures,
                     facts=list(o.measures), status=o.status, order=o.index) for o in found]
    unassigned = [m.strip() for m in col.unassigned if m.strip() and not is_closing_line(m)]
    if outline:
        # Beside items the outline read, a short unpunctuated "problem" is a heading left over.
        col.drafts = [d for d in col.drafts if not _leftover_heading(d.description)]
        if not col.drafts:
            unassigned = []  # 下一步 plans after the items: nothing of the ledger
    drafts = _in_document_order(outline, col.drafts, every)
    known = {norm(d.description) for d in drafts}
    for tp in problems_from_tables(every):
        if norm(tp.description) not in known:
            drafts.append(Draft(tp.description, tp.category_hint, [f.text for f in tp.facts], False, False,
                                facts=tp.facts, status=tp.status))
    issued_on = fx.document_date([p.text for p in every if not p.table])
    problems = tuple(p for p in (_freeze(d, issued_on) for d in drafts) if p.description)
    title = find_title(every)
    message = ""
    if not problems:
        has_section = any(b.role in (hd.PROBLEM, hd.MIXED) for b in blocks) or bool(found)
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
