"""The corpus score: problems and measures found over documents of every family the clerks get.

Prints precision and recall for problems and measures (run with -s to see them) and fails below
95 % / 90 %; statuses, lead units and deadlines are checked on the items found.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pytest

from tests.core.report_corpus import DOCS as PART1
from tests.core.report_corpus import Doc
from tests.core.report_corpus_holdout import DOCS as HOLDOUT
from tests.core.report_corpus_more import DOCS as PART2
from tests.core.report_corpus_outline import DOCS as OUTLINE
from tracker.report import ExtractedReport, parse_report_text, report_to_json

DOCS: list[Doc] = PART1 + PART2 + HOLDOUT + OUTLINE
_NORM = re.compile(r"[\W_]+")
FAMILIES = ("巡察整改通报", "整改情况报告", "整改方案", "自评报告", "督导反馈意见", "台账表格")


def norm(text: str) -> str:
    return _NORM.sub("", text)


@dataclass
class Score:
    """Counts over the corpus."""

    expected_problems: int = 0
    found_problems: int = 0
    right_problems: int = 0
    expected_measures: int = 0
    found_measures: int = 0
    right_measures: int = 0
    status_checks: int = 0
    status_right: int = 0
    field_checks: int = 0
    field_right: int = 0

    def ratio(self, a: int, b: int) -> float:
        return a / b if b else 1.0


def score_doc(doc: Doc, report: ExtractedReport, score: Score, misses: list[str]) -> None:
    """Add one document's counts to ``score``; name each miss in ``misses``."""
    data = report_to_json(report)
    found = data["problems"]
    score.expected_problems += len(doc.problems)
    score.found_problems += len(found)
    score.expected_measures += sum(len(p.measures) for p in doc.problems)
    score.found_measures += sum(len(p["measures"]) for p in found) + len(data["unassigned_measures"])
    used: set[int] = set()
    for want in doc.problems:
        hit = next((i for i, p in enumerate(found) if i not in used and norm(want.key) in norm(p["description"])), None)
        if hit is None:
            misses.append(f"{doc.name}: problem {want.key}")
            continue
        used.add(hit)
        got = found[hit]
        # A problem that swallowed its measures is not right, even when its key is there.
        if len(norm(got["description"])) <= 3 * len(norm(want.key)) + 60:
            score.right_problems += 1
        else:
            misses.append(f"{doc.name}: problem too long {want.key}")
        score.status_checks += 1
        if got["status"] == want.status:
            score.status_right += 1
        else:
            misses.append(f"{doc.name}: status {want.key} {got['status']} != {want.status}")
        taken: set[int] = set()
        for wm in want.measures:
            mi = next((j for j, m in enumerate(got["measures"])
                       if j not in taken and norm(wm.key) in norm(m["text"])), None)
            if mi is None:
                misses.append(f"{doc.name}: measure {wm.key}")
                continue
            taken.add(mi)
            m = got["measures"][mi]
            if len(norm(m["text"])) <= 3 * len(norm(wm.key)) + 80:
                score.right_measures += 1
            else:
                misses.append(f"{doc.name}: measure too long {wm.key}")
            for want_value, got_value, what in (
                (wm.unit, m["lead_unit"], "unit"), (wm.deadline, m["deadline_text"], "deadline"),
                (wm.status, m["status"] if wm.status else "", "status"),
            ):
                if want_value or got_value:
                    score.field_checks += 1
                    if want_value == got_value:
                        score.field_right += 1
                    else:
                        misses.append(f"{doc.name}: {what} of {wm.key}: {got_value!r} != {want_value!r}")


    for i, p in enumerate(found):
        if i not in used:
            misses.append(f"{doc.name}: extra problem {p['description'][:30]}")


def scored(docs: list[Doc]) -> tuple[Score, list[str]]:
    score = Score()
    misses: list[str] = []
    for doc in docs:
        score_doc(doc, parse_report_text(doc.text), score, misses)
    return score, misses


def summary(name: str, docs: list[Doc], s: Score) -> str:
    """One line of figures, as docs/report-import.md quotes them."""
    return (f"{name}: {len(docs)} documents, {s.expected_problems} problems, {s.expected_measures} measures; "
            f"problems P {s.ratio(s.right_problems, s.found_problems):.1%} R {s.ratio(s.right_problems, s.expected_problems):.1%}; "
            f"measures P {s.ratio(s.right_measures, s.found_measures):.1%} R {s.ratio(s.right_measures, s.expected_measures):.1%}")


@pytest.fixture(scope="module")
def corpus_score() -> tuple[Score, list[str]]:
    return scored(DOCS)


def test_held_out_part_scores_on_its_own() -> None:
    s, misses = scored(HOLDOUT)
    print("\n" + summary("held out", HOLDOUT, s))
    assert s.ratio(s.right_problems, s.expected_problems) >= 0.9, misses


def test_outline_shapes_score_on_their_own() -> None:
    # Deep nesting, Word list numbering, bold run-in titles, a task table, 问题清单 + 整改要求,
    # 第一/第二 paragraphs: the shapes the outline must carry (report_corpus_outline.py).
    s, misses = scored(OUTLINE)
    print("\n" + summary("outline shapes", OUTLINE, s))
    assert s.ratio(s.right_problems, s.expected_problems) >= 0.95, misses
    assert s.ratio(s.right_measures, s.expected_measures) >= 0.9, misses


def test_corpus_covers_every_family() -> None:
    assert len(DOCS) >= 30
    assert len({d.name for d in DOCS}) == len(DOCS)
    counts = Counter(d.family for d in DOCS)
    assert set(counts) == set(FAMILIES), counts
    assert all(n >= 3 for n in counts.values()), counts


def test_corpus_precision_and_recall(corpus_score: tuple[Score, list[str]]) -> None:
    s, misses = corpus_score
    pp = s.ratio(s.right_problems, s.found_problems)
    pr = s.ratio(s.right_problems, s.expected_problems)
    mp = s.ratio(s.right_measures, s.found_measures)
    mr = s.ratio(s.right_measures, s.expected_measures)
    print("\n" + summary("all", DOCS, s))
    print(f"status right {s.status_right}/{s.status_checks}; unit/deadline/own status right "
          f"{s.field_right}/{s.field_checks}")
    print("\n".join(misses))
    assert pp >= 0.95 and pr >= 0.95, misses
    assert mp >= 0.90 and mr >= 0.90, misses


def test_corpus_statuses_units_and_deadlines(corpus_score: tuple[Score, list[str]]) -> None:
    s, misses = corpus_score
    assert s.ratio(s.status_right, s.status_checks) >= 0.90, misses
    assert s.ratio(s.field_right, s.field_checks) >= 0.90, misses


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_no_closing_contact_or_note_line_is_an_item(doc: Doc) -> None:
    report = parse_report_text(doc.text)
    texts = [p.description for p in report.problems]
    texts += [m.text for p in report.problems for m in p.measures] + list(report.unassigned_measures)
    for t in texts:
        assert not re.match(r"(?:注|备注)\s?[：:]|联系电话|联系人|我[县市区]将以此次|欢迎广大", t), (doc.name, t)
