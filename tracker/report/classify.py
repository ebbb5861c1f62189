"""What a line is, whatever section it stands in: the title, notes, contact lines, the date line
and the signature above it are never problems or measures; nor is a closing remark
(``is_closing_line``: "我县将以此次…为契机", "下一步，…").

The outline asks ``line_kinds`` once per document; the readings after it skip the lines marked
there, so no rule further on has to recognise a phone number or a signature again.
"""

from __future__ import annotations

import re

from tracker.report import markers as mk

NOTE = "note"  # 注： / 备注： / 说明： under a table
CONTACT = "contact"  # 联系人 / 联系电话 / 邮政信箱 …
DATE = "date"  # the date line of the document
SIGNATURE = "signature"  # the issuing body's name right above the date line
TITLE = "title"  # the document's title line ("…问题整改方案"), never a section heading

# A closing remark after the last problem ("我县将以此次自评为契机…", "下一步，…").
CLOSING_LEAD = re.compile(r"(?:下一步|下步|今后|我[县市区局旗州]将|我们将|以此次|以本次|特此|以上|综上|欢迎|联系人|联系电话)")
CONTACT_WORDS = re.compile(r"联系电话|联系人|邮政信箱|电子邮箱|举报电话|监督电话")
# A line that opens with a contact label: "联系人：…", "监督电话：0000-…".
_CONTACT_LINE = re.compile(r"(?:联系电话|联系人|联系方式|邮政信箱|电子邮箱|举报电话|监督电话|来信地址|邮编)\s?[：:]")
_NOTE = re.compile(r"(?:注|备注|说明)\s?[0-9０-９]?\s?[：:]")
_DATE_LINE = re.compile(
    rf"[（(]?[{mk.DIGITS}〇零一二三四五六七八九十]{{2,4}}\s?年\s?\S{{1,3}}\s?月(?:\s?\S{{1,3}}\s?日)?[）)]?"
)
_CONTACT_FIRST = frozenset("联邮电举监来欢")  # what a contact line opens with: most lines skip the regex
_TITLE_END = re.compile(r"(?:报告|意见|通报|通知|函|方案|反馈|总结|请示)$")
_PUNCT = re.compile(r"[，,。；;：:、！!？?“”\"（）()《》]")
_SIGNATURE_MAX = 30


def is_note(text: str) -> bool:
    """A 注： / 备注： line under a table: never a problem or a measure."""
    t = text.lstrip()
    return bool(t) and t[0] in "注备说" and _NOTE.match(t) is not None


def is_closing_line(text: str) -> bool:
    """A closing remark or contact line ("下一步，…", "联系电话：…"): never a measure."""
    return bool(CLOSING_LEAD.match(text.strip()) or CONTACT_WORDS.search(text))


def is_contact(text: str) -> bool:
    """A contact line: opens with a contact label, or a 欢迎…监督 line that gives one."""
    t = text.strip()
    return bool(_CONTACT_LINE.match(t) or (t.startswith("欢迎") and CONTACT_WORDS.search(t)))


def is_date_line(text: str) -> bool:
    """A line that is only a date ("2024年1月15日", "（2023年12月）")."""
    return _DATE_LINE.fullmatch(text.strip()) is not None


def is_title(text: str) -> bool:
    """A document title: unnumbered, long enough, ending with the document's kind."""
    t = text.strip()
    return 8 <= len(t) <= 100 and _TITLE_END.search(t) is not None and mk.marker_at_start(t) is None


def line_kinds(texts: list[str], tables: list[bool]) -> list[str]:
    """Per paragraph: NOTE, CONTACT, DATE, SIGNATURE, or "" for a line that may be an item."""
    kinds = ["" for _ in texts]
    first = next((i for i, table in enumerate(tables) if not table), -1)
    if first >= 0 and is_title(texts[first]):
        kinds[first] = TITLE
    for i, (t, table) in enumerate(zip(texts, tables)):
        if table:
            continue
        if is_note(t):
            kinds[i] = NOTE
        elif t[:1] in _CONTACT_FIRST and is_contact(t):
            kinds[i] = CONTACT
        elif len(t) <= 24 and "年" in t and is_date_line(t):
            kinds[i] = DATE
    # The issuing body signs right above the date line: short, no punctuation, not numbered.
    for i, kind in enumerate(kinds):
        if kind != DATE:
            continue
        j = i - 1
        while j >= 0 and not kinds[j] and not tables[j] and _is_signature(texts[j]):
            kinds[j] = SIGNATURE
            j -= 1
    return kinds


def _is_signature(text: str) -> bool:
    """A short unpunctuated, unnumbered line (an organisation's name)."""
    t = text.strip()
    return 0 < len(t) <= _SIGNATURE_MAX and not _PUNCT.search(t) and mk.marker_at_start(t) is None
