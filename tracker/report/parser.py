"""The whole parse: report text -> title, year, document number, problems and their measures.

Steps: normalize (paragraphs) -> sections (blocks with a role) -> items -> pairing -> categories.
How measures find their problems is told in ``pairing``.
Status: IN_PROGRESS when the report gives a 整改情况 (work already done), else NOT_STARTED.
"""

from __future__ import annotations

from tracker.domain import Status
from tracker.report import headings as hd
from tracker.report import markers as mk
from tracker.report.categories import guess_category
from tracker.report.header import find_doc_number, find_title, find_year
from tracker.report.items import split_items
from tracker.report.model import ExtractedMeasure, ExtractedProblem, ExtractedReport
from tracker.report.normalize import paragraphs
from tracker.report.pairing import Collector, Draft, feedback, from_labels, norm, problem_item
from tracker.report.sections import Block, split_blocks
from tracker.report.tables import problems_from_tables

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
        col.add_problems([problem_item(item, block.hint) for item in split_items(texts[:cut])])
        if cut < len(texts):
            _collect_measures(texts[cut + 1:], block.hint, col)
    elif block.role == hd.MEASURE:
        _collect_measures(texts, block.hint, col)


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
            drafts.append(Draft(fb[0], "", fb[1], False, not fb[1]))
    col.add_problems(drafts)


def _freeze(d: Draft) -> ExtractedProblem:
    """The public, frozen form of a draft."""
    return ExtractedProblem(
        description=d.description.strip(),
        category=guess_category(d.description, _area(d)),
        status=Status.IN_PROGRESS if d.done and d.measures else Status.NOT_STARTED,
        measures=tuple(ExtractedMeasure(m.strip()) for m in d.measures if m.strip()),
    )


def _area(d: Draft) -> str:
    """The area the report names for a problem: its own "X方面：" lead, else its sub-heading."""
    m = mk.AREA_LEAD.match(d.description)
    return m.group(1) if m else d.hint


def _parse(text: str) -> ExtractedReport:
    """The parse proper; may raise on a bug, which ``parse_report_text`` turns into a message."""
    paras = paragraphs(text)
    blocks = split_blocks(paras)
    col = Collector()
    for block in blocks:
        _collect_block(block, col)
    col.close_group()
    if not col.drafts:
        _fallback(blocks, col)
        col.close_group()
    known = {norm(d.description) for d in col.drafts}
    for tp in problems_from_tables(paras):
        if norm(tp.description) not in known:
            col.drafts.append(Draft(tp.description, tp.category_hint, tp.measures, False, False))
    problems = tuple(p for p in (_freeze(d) for d in col.drafts) if p.description)
    title = find_title(paras)
    message = ""
    if not problems:
        has_section = any(b.role in (hd.PROBLEM, hd.MIXED) for b in blocks)
        message = EMPTY_SECTION if has_section else NO_SECTION
    return ExtractedReport(
        title=title,
        year=find_year(title, paras),
        doc_number=find_doc_number(paras),
        problems=problems,
        unassigned_measures=tuple(m.strip() for m in col.unassigned if m.strip()),
        message=message,
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
    return ExtractedReport(
        title=report.title,
        year=report.year,
        doc_number=report.doc_number,
        problems=listed.problems,
        unassigned_measures=listed.unassigned_measures,
        message=PASTED_FALLBACK,
    )
