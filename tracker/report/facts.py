"""What a report states about a measure besides its text: status, 责任单位, 整改时限, the date.

Status is read only from short status sentences ("该问题已完成整改。", "目前正在整改，计划…完成。",
"此项工作需长期坚持。") or from a status field (整改进展：已完成), never from a long sentence of work
done, where "已完成招聘" or "建立常态化机制" says nothing about the rectification's state.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tracker.domain import Status

_DONE = re.compile(r"已于[^，,。；]{0,14}完成|已完成整改|已整改完成|整改已完成|已整改到位|整改到位|已整改|已全部完成|已完成|已销号|完成整改|整改完成")
_PROGRESS = re.compile(r"仍在整改|仍在推进|正在整改|正在推进|持续推进|整改中|推进中|正在落实|正在实施|尚未完成|未完成|基本完成|逐步推进|部分完成|正在")
_ONGOING = re.compile(r"长期坚持|需长期|长期推进|常态化(?:推进|坚持|开展|整改)|长期整改|持续整改")
# "建立常态化…机制" is a measure, not a statement of how far the work is.
_ACTION_START = re.compile(
    r"(?:[0-9０-９一二三四五六七八九十]+[是、.．]|[（(][^）)]{1,3}[）)])?"
    r"(?:建立|完善|制定|健全|加强|开展|落实|实施|强化|严格|加大|深化|优化|组织|积极|全面|出台|印发|召开|督促|指导)"
)
_NOT_STARTED = re.compile(r"未启动|尚未启动|未开始|尚未开展")
_STATUS_LEAD = re.compile(
    r"(?:该|此|本|目前|截至|截止|现已|已|正在|仍|需|尚|整改(?:进展|情况|状态)?|前[一二三两四]项|后[一二三两]项|"
    r"第[一二三四]项|全部|基本|均|总体|持续|长期)"
)
# A last clause that is nothing but a status ("…，正在推进。", "…，已完成整改。").
_TAIL_STATUS = re.compile(
    r"(?<=[，,])\s?(?:目前|现已|均已|仍|尚)?(?:已完成整改|已整改到位|整改到位|已完成|已整改|正在推进|正在整改|正在实施|"
    r"正在落实|持续推进中|推进中|整改中|需长期坚持|长期坚持)[。；;！!]?$"
)
# A status sentence is short: a long one is work done, whatever words it holds.
_STATUS_SENTENCE_MAX = 40
_SENTENCES = re.compile(r"[^。；;！!\n]+[。；;！!]?")

# 责任单位：县教育局；整改时限：2023年6月底前；整改进展：已完成。 — label, then value up to the next
# separator. The value stops before another label so one line can carry all three.
UNIT_LABELS = "责任单位|牵头单位|主责单位|责任部门|牵头部门|责任科室|牵头科室|责任主体"
CO_LABELS = "配合单位|协办单位|参与单位"
DEADLINE_LABELS = "整改时限|完成时限|整改期限|时限要求|完成时间|整改时间|时限"
STATUS_LABELS = "整改进展|进展情况|完成情况|整改结果|整改状态|整改进度|目前进展"
_ANY_LABEL = f"{UNIT_LABELS}|{CO_LABELS}|{DEADLINE_LABELS}|{STATUS_LABELS}|责任领导|责任人"
FIELD = re.compile(
    rf"[（(]?({_ANY_LABEL})\s?[：:]\s*([^；;。\n（()）]*?(?:[（(][^（()）\n]{{0,30}}[）)][^；;。\n（()）]*?)*)"
    rf"\s*(?=[；;。）)\n]|[，,\s]*(?:{_ANY_LABEL})\s?[：:]|$)[）)]?[；;。]?"
)
_FIELD_AT_START = re.compile(rf"[（(]?(?:{_ANY_LABEL})\s?[：:]")
_DATE = re.compile(r"((?:19|20)[0-9]{2})\s?年\s?([0-9]{1,2})\s?月\s?([0-9]{1,2})\s?日")
_CN_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


@dataclass(frozen=True, slots=True)
class Facts:
    """Fields pulled out of a measure's text."""

    text: str
    lead_unit: str = ""
    deadline_text: str = ""
    status: Status | None = None


def status_in(text: str) -> Status | None:
    """The status one phrase states; a mix of done and under way is under way."""
    t = text.strip()
    if not t:
        return None
    if _NOT_STARTED.search(t):
        return Status.NOT_STARTED
    done, progress = bool(_DONE.search(t)), bool(_PROGRESS.search(t))
    if _ONGOING.search(t):
        return Status.IN_PROGRESS if done and progress else Status.ONGOING
    if done and progress:
        # "前两项已完成，第三项正在推进" / "基本完成": not done yet.
        return Status.IN_PROGRESS
    if done:
        return Status.DONE
    if progress:
        return Status.IN_PROGRESS
    return None


def status_sentence(text: str) -> Status | None:
    """The status stated by the short status sentences of ``text`` (the last one wins)."""
    found: Status | None = None
    for m in _SENTENCES.finditer(text):
        s = m.group().strip()
        if s and len(s) <= _STATUS_SENTENCE_MAX and not _ACTION_START.match(s):
            st = status_in(s)
            if st is not None:
                found = st
        elif s:
            # "实施乡村教师定向培养计划，正在推进。": a measure whose last clause is only a status.
            tail = _TAIL_STATUS.search(s)
            if tail is not None:
                found = status_in(tail.group()) or found
    return found


def is_status_only(text: str) -> bool:
    """A paragraph that only says how far the work is ("该问题已完成整改。")."""
    from tracker.report import markers as mk

    t = text.strip()
    if not t or len(t) > _STATUS_SENTENCE_MAX or _ACTION_START.match(t) or mk.marker_at_start(t):
        return False
    first = _SENTENCES.match(t)
    # The opening sentence must state the status ("新建学校。已完成。" is a measure with its
    # status), and open like a statement of progress: "完成危房改造3处，剩余2处正在施工" is work.
    return first is not None and status_in(first.group()) is not None and (
        len(first.group()) <= 8 or _STATUS_LEAD.match(t) is not None)


def is_field_line(text: str) -> bool:
    """A paragraph that opens with a field label (责任单位：…)."""
    return _FIELD_AT_START.match(text.strip()) is not None


# Cheap test first: most measure texts hold neither a label colon nor a status word.
_MAYBE = re.compile(r"[：:]|完成|整改|推进|坚持|常态|启动|正在|销号|到位|开始|开展")


def pull_facts(text: str) -> Facts:
    """``text`` without its field labels, and the unit, deadline and status they gave."""
    if not _MAYBE.search(text):
        return Facts(text.strip())
    unit = deadline = ""
    status: Status | None = None
    spans: list[tuple[int, int]] = []
    for m in FIELD.finditer(text):
        label, value = m.group(1), m.group(2).strip(" ，,、")
        spans.append((m.start(), m.end()))
        if re.fullmatch(UNIT_LABELS, label) and value and not unit:
            unit = value
        elif re.fullmatch(DEADLINE_LABELS, label) and value and not deadline:
            deadline = value
        elif re.fullmatch(STATUS_LABELS, label) and value:
            status = status_in(value) or status
    if not spans:
        return Facts(text.strip(), status=status_sentence(text))
    out: list[str] = []
    pos = 0
    for a, b in spans:
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    body = "".join(out).strip(" ，,；;")
    return Facts(body, unit, deadline, status or status_sentence(body))


def drop_status_sentences(text: str) -> str:
    """``text`` without its trailing short status sentences (kept as status, not as a measure)."""
    parts = [m.group() for m in _SENTENCES.finditer(text)]
    while parts and is_status_only(parts[-1]) and len(parts) > 1:
        parts.pop()
    return "".join(parts).strip()


def document_date(texts: list[str]) -> dt.date | None:
    """The date a document was written: a date line near its end (or its start), else None."""
    tail = [t for t in texts[-8:] if len(t) <= 24] + [t for t in texts[:8] if len(t) <= 24]
    for t in tail:
        d = _date_in(t.strip())
        if d is not None:
            return d
    return None


def _date_in(text: str) -> dt.date | None:
    """A whole-line date, Arabic or Chinese numerals."""
    m = _DATE.fullmatch(text.strip("（）() "))
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _CN_DATE.fullmatch(text.strip("（）() "))
        if m:
            year = int("".join(str(_CN_DIGIT.get(c, 0)) for c in m.group(1)))
            return dt.date(year, _cn_small(m.group(2)), _cn_small(m.group(3)))
    except ValueError:
        return None
    return None


def _cn_small(s: str) -> int:
    """一 … 三十一."""
    if "十" in s:
        head, _, tail = s.partition("十")
        return (_CN_DIGIT.get(head, 1) if head else 1) * 10 + (_CN_DIGIT.get(tail, 0) if tail else 0)
    return _CN_DIGIT.get(s, 0)


def split_cell(text: str) -> list[str]:
    """The measures of one cell or paragraph: "（1）…；（2）…" or "1．…2．…" are several, else one."""
    from tracker.report import markers as mk
    from tracker.report.items import split_items

    t = text.strip()
    if not t:
        return []
    if mk.marker_at_start(t) is None and not any(
        len(mk.inline_markers(t, kind)) >= 2 for kind in (mk.PAREN_NUM, mk.NUM, mk.SHI, mk.CIRCLED, mk.DI)
    ):
        return [t]
    return split_items([t], paragraph_items=False) or [t]
