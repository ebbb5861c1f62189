"""Any text gives a report, never an exception; big and hostile texts parse in linear-ish time."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.report import ExtractedReport, parse_report_text, report_to_json
from tracker.report import parser as parser_module
from tracker.report.parser import FAILED, _parse

TEXTS = Path(__file__).parent / "report_texts"

# Pieces real reports are made of, so random texts hit the parser's decisions, not only noise.
TOKENS = [
    "一、", "二、", "三、", "（一）", "（二）", "(三)", "1.", "2.", "3、", "（1）", "(2)", "⑴", "①", "②", "一是", "二是",
    "三是", "第一，", "第二，", "存在问题", "存在的问题", "问题和不足", "整改措施", "下一步工作打算", "整改情况：",
    "整改措施：", "存在问题1：", "存在问题 2:", "问题一：", "针对“", "”的问题，", "针对", "的问题，", "主要是：",
    "主要表现在：", "如，", "；", ";", "。", "，", "：", ":", "、", "“", "”", "\n", "\n\n", "\r\n", "\x0c",
    "**", "*", "***",
    "# ", "## ", "### ", "\t", "附件", "附件：", "教师", "食堂", "安全", "职业教育", "方面:", "方面：", "2021年",
    "宁政教督办〔2022〕8号", "自评报告", " ", "\u3000", "\ufeff", "\u200b", "以上", "2021年11月5日", "•", "- ",
    "x" * 40, "教育发展不平衡不充分仍然存在。",
]
texts = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=120
).map("".join)


def _check_report(r: ExtractedReport) -> None:
    assert isinstance(r, ExtractedReport)
    for p in r.problems:
        assert p.description and p.description == p.description.strip()
        assert all(m.text and m.text == m.text.strip() for m in p.measures)
    assert all(m and m == m.strip() for m in r.unassigned_measures)
    assert bool(r.message) == (not r.problems)
    json.dumps(report_to_json(r), ensure_ascii=False)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_parses_without_exception(text: str) -> None:
    # The unguarded parse: a bug here must fail the test, not hide behind the fallback message.
    _check_report(_parse(text))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_unicode_parses_without_exception(text: str) -> None:
    _check_report(_parse(text))


def test_guard_turns_a_bug_into_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str) -> ExtractedReport:
        raise RuntimeError("bug")

    monkeypatch.setattr(parser_module, "_parse", boom)
    r = parse_report_text("三、存在问题\n1.a\n")
    assert r.problems == () and r.message == FAILED


def test_non_text_input_does_not_raise() -> None:
    assert parse_report_text(None).problems == ()  # type: ignore[arg-type]
    r = parse_report_text("三、存在问题\n1.教师缺编。\n".encode())  # type: ignore[arg-type]
    assert [p.description for p in r.problems] == ["教师缺编。"]


def _elapsed(text: str) -> float:
    start = time.perf_counter()
    parse_report_text(text)
    return time.perf_counter() - start


def test_five_megabytes_of_report_text_parse_in_seconds() -> None:
    one = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("*")))
    big = one * (5_000_000 // len(one) + 1)
    assert len(big) >= 5_000_000
    assert _elapsed(big) < 15  # typically 1-2 s; generous for a loaded CI machine


@pytest.mark.parametrize(
    "unit",
    [
        "一是", "**", "**个", "（", "（一）", "针对“", "针对", "1.", "一", "\n", "：", "主要是：", "如，", "方面",
        "存在问题1：a\n整改情况：b\n", "三、存在问题\n", "2021年1月1日\n", "（一）教师缺编。\n", "x\t", "# ",
    ],
)
def test_hostile_repetition_stays_linear(unit: str) -> None:
    # 1 MB of one repeated piece: no regex may backtrack catastrophically on it.
    text = unit * (1_000_000 // len(unit))
    assert _elapsed(text) < 10
