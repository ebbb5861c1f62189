"""From what a report says to what ``create_problems`` takes: the source it names, and the
problems with their measures, checked so a refusal names the problem (CLI and window share it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.domain import MeasureInput, ProblemInput, SourceInput, SourceKind
from tracker.errors import ValidationError
from tracker.report.model import ExtractedProblem, ExtractedReport, measure_status
from tracker.text import clean_text

# First match wins: an inspection's or an audit's feedback is that kind, not an evaluation.
_KIND_WORDS: tuple[tuple[re.Pattern[str], SourceKind], ...] = (
    (re.compile(r"巡视|巡察"), SourceKind.INSPECTION),
    (re.compile(r"审计"), SourceKind.AUDIT),
    (re.compile(r"专项督导"), SourceKind.SPECIAL),
    (re.compile(r"反馈|督导意见|评价意见|整改意见|通报"), SourceKind.EVALUATION),
    (re.compile(r"自评|自查|自我评价"), SourceKind.SELF_CHECK),
)
# Excel's cell limit, as tracker.services.records.MAX_TEXT (not imported: this package has no
# database); checked here so the refusal can name the problem.
MAX_TEXT = 32_767


def guess_source_kind(title: str) -> SourceKind:
    """The kind of source a document title suggests: 自评报告 -> SELF_CHECK, 反馈意见 ->
    EVALUATION (the default when nothing says)."""
    for pattern, kind in _KIND_WORDS:
        if pattern.search(title or ""):
            return kind
    return SourceKind.EVALUATION


def source_input(
    report: ExtractedReport, *, title: str = "", year: int | None = None, fallback_title: str = ""
) -> SourceInput:
    """The source the problems go under: the given title, else the report's, else the file
    name; the given year, else the report's; the kind guessed from the report's title."""
    name = (title or "").strip() or report.title or (fallback_title or "").strip()
    if not name:
        name = f"{year or report.year or ''}报告导入的问题".strip()
    return SourceInput(
        title=name,
        kind=guess_source_kind(report.title or name),
        year=year if year is not None else report.year,
        doc_number=report.doc_number,
        issued_on=report.issued_on,
    )


@dataclass(frozen=True)
class Totals:
    """How many problems and measures a list holds, for the messages around an import."""

    problems: int
    measures: int


def totals(problems: Sequence[ExtractedProblem]) -> Totals:
    """Problem and measure counts of ``problems``."""
    return Totals(len(problems), sum(len(p.measures) for p in problems))


def _checked(text: str, what: str) -> str:
    """Cleaned text, or a refusal naming ``what`` when a cell could never hold it."""
    cleaned = clean_text(text).strip()
    if len(cleaned) > MAX_TEXT:
        raise ValidationError(
            f"{what}有 {len(cleaned)} 个字符，超过 Excel 单元格上限 {MAX_TEXT} 个，"
            "请在报告中精简或拆分后再导入。"
        )
    return cleaned


_UNIT_SPLIT = re.compile(r"[、，,；;/／]+")


def _units(text: str) -> tuple[str, str]:
    """"县教育局、县财政局" -> lead 县教育局, co-units 县财政局 (the first named unit leads)."""
    names = [n.strip() for n in _UNIT_SPLIT.split(clean_text(text)) if n.strip()]
    return (names[0], "、".join(names[1:])) if names else ("", "")


def problem_inputs(problems: Sequence[ExtractedProblem]) -> list[ProblemInput]:
    """Problems as ``create_problems`` takes them; measures carry their own status (else the
    problem's), lead unit and deadline (only one the parser could read: the rest stays in text).

    Raises ValidationError naming the problem (第N个问题“…”) when one cannot be stored."""
    out: list[ProblemInput] = []
    for i, p in enumerate(problems, start=1):
        head = clean_text(p.description).strip()
        label = f"第{i}个问题“{head[:20]}{'…' if len(head) > 20 else ''}”"
        description = _checked(p.description, f"{label}的描述")
        if not description:
            raise ValidationError(f"第{i}个问题没有填写问题描述。", "description")
        measures = tuple(
            MeasureInput(
                text=text,
                lead_unit=_units(_checked(m.lead_unit, f"{label}的第{j}项措施的责任单位"))[0],
                co_units=_units(m.lead_unit)[1],
                deadline_text=m.deadline_text.strip() if m.deadline_kind is not None else "",
                status=measure_status(p, m),
                # Resolved against the document's date by the parser; None leaves it to the service.
                deadline=m.deadline,
                deadline_kind=m.deadline_kind,
            )
            for j, m in enumerate(p.measures, start=1)
            if (text := _checked(m.text, f"{label}的第{j}项措施"))
        )
        category = _checked(p.category, f"{label}的类别")
        out.append(ProblemInput(description=description, category=category, measures=measures))
    return out
