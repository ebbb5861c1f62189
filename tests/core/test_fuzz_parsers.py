"""Hostile input to the parsers: the deadline parser, the report parser, and real reports
mutated at random. No unexpected exception, bounded time, and a ledger unchanged on failure."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import clock
from tracker.db.engine import Ledger, open_ledger
from tracker.deadlines import MAX_YEAR, MIN_YEAR, Deadline, deadline_from_cell, parse_deadline
from tracker.domain import DeadlineKind, MeasureInput, ProblemInput
from tracker.errors import DeadlineError, ImportRejected, ValidationError
from tracker.report import parse_report_text, read_report_file
from tracker.report.parser import FAILED
from tracker.services.history import list_history
from tracker.services.measures import update_measure
from tracker.services.problems import create_problem
from tracker.services.queries import get_problem
from tracker.text import clean_text

SAMPLES = Path("/work/shared/samples")
# RECTIFY_FUZZ_SCALE=10 runs ten times the inputs (done by hand for docs/reliability.md).
SCALE = int(os.environ.get("RECTIFY_FUZZ_SCALE", "1"))
_CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZ = settings(max_examples=400 * SCALE, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

DEADLINE_TOKENS = [
    "2022", "2023", "2100", "1989", "9999", "0", "00", "1", "12", "13", "29", "31", "32", "年",
    "月", "日", "号", "底", "末", "前", "初", "上旬", "中旬", "下旬", "今年", "明年", "次年",
    "年底", "年内", "上半年", "下半年", "第", "一", "二", "三", "四", "十二", "二〇二二", "季度",
    "长期", "坚持", "持续", "立行立改", "完成", "整改", "-", ".", "/", "~", "～", "至", "到", "、",
    "，", "；", " ", "\u3000", "２０２２", "１２", "．", "\t", "\n", "\x00", "（", "）", "*", "**",
]
DATES = st.dates(dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31))
deadline_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(DEADLINE_TOKENS), max_size=30).map("".join),
)


def _assert_sound(d: Deadline, text: str) -> None:
    assert isinstance(d, Deadline) and d.text == text.strip()
    if d.kind is DeadlineKind.DATED:
        assert d.date is not None and MIN_YEAR <= d.date.year <= MAX_YEAR
    else:
        assert d.date is None


def _assert_explained(exc: DeadlineError) -> None:
    assert exc.message and _CJK.search(exc.message), exc.message


@FUZZ
@given(deadline_texts, DATES)
def test_any_deadline_text_is_read_or_refused_with_a_chinese_reason(text: str, ref: dt.date) -> None:
    try:
        d = parse_deadline(text, ref)
    except DeadlineError as exc:
        _assert_explained(exc)
    else:
        _assert_sound(d, text)


cells = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.dates(), st.datetimes(),
    st.text(max_size=80), st.binary(max_size=40), st.decimals(allow_nan=True),
    st.times(), st.timedeltas(), st.lists(st.integers(), max_size=3),
)


@FUZZ
@given(cells, DATES)
def test_any_excel_cell_is_read_or_refused_with_a_chinese_reason(value: object, ref: dt.date) -> None:
    try:
        d = deadline_from_cell(value, ref)
    except DeadlineError as exc:
        _assert_explained(exc)
    else:
        assert d.kind in DeadlineKind
        if d.kind is DeadlineKind.DATED:
            assert d.date is not None and MIN_YEAR <= d.date.year <= MAX_YEAR


@pytest.mark.parametrize("text", [
    "2022年" * 5000, "1" * 20000, "年月日" * 7000, "12月" * 6000 + "x", "第三季度" * 5000,
    "2022-" * 5000, "二〇二二" * 5000, " " * 20000 + "年底前", "长期" * 10000,
    "".join(random.Random(3).choice(DEADLINE_TOKENS) for _ in range(8000)),
])
def test_long_hostile_deadline_text_is_handled_quickly(text: str) -> None:
    start = time.perf_counter()
    try:
        parse_deadline(text, dt.date(2026, 11, 23))
    except DeadlineError as exc:
        _assert_explained(exc)
    assert time.perf_counter() - start < 1.0


@pytest.fixture(scope="module")
def fuzz_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ledger, int, int]]:
    led = open_ledger(tmp_path_factory.mktemp("fuzz") / "l.sqlite", user="模糊测试",
                      auto_backup=False)
    row = create_problem(led, ProblemInput("校舍维修资金未落实", measures=(
        MeasureInput("申请专项资金", deadline_text="2026年12月底前"),)))
    yield led, row.id, row.measures[0].id
    led.close()


@settings(max_examples=150 * SCALE, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=deadline_texts)
def test_a_refused_deadline_leaves_the_ledger_as_it_was(fuzz_ledger, text: str) -> None:
    led, pid, mid = fuzz_ledger
    before, history = get_problem(led, pid), len(list_history(led))
    try:
        after = update_measure(led, mid, deadline_text=text)
    except (DeadlineError, ValidationError) as exc:
        assert exc.message and _CJK.search(exc.message)
        assert get_problem(led, pid) == before
        assert len(list_history(led)) == history
    else:
        expected = parse_deadline(clean_text(text).strip(), clock.today())
        m = after.measures[0]
        assert (m.deadline, m.deadline_kind) == (expected.date, expected.kind)


REPORT_FRAGMENTS = [
    "一、存在问题", "二、存在的主要问题", "三、下一步整改措施", "（一）", "（二）", "1.", "2、", "①", "②",
    "一是", "二是", "三是", "存在问题1：", "整改情况：", "评价重点", "主要观测点", "|", "---", "\t",
    "义务教育学校大班额问题仍然存在", "教师编制不足", "**人", "*万元", "。", "；", "：", "\n",
    "\n\n", "  ", "#", "##", "附件", "改进措施", "下步打算", "（三）加强督导考核", "\x0c", "\ufeff",
]
report_texts = st.one_of(
    st.text(max_size=1500),
    st.lists(st.one_of(st.sampled_from(REPORT_FRAGMENTS), st.text(max_size=12)), max_size=120)
    .map("".join),
)


@FUZZ
@given(report_texts)
def test_the_report_parser_never_fails_on_any_text(text: str) -> None:
    start = time.perf_counter()
    report = parse_report_text(text)
    # parse_report_text catches everything and says FAILED: that message means an internal bug.
    assert report.message != FAILED
    assert all(p.description.strip() for p in report.problems)
    assert time.perf_counter() - start < 5.0


def _mutants(data: bytes, seed: int, count: int) -> Iterator[bytes]:
    """Damaged copies of a real file: flipped bytes, cuts, repeats, shuffled lines, junk."""
    rng = random.Random(seed)
    for _ in range(count):
        b = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            op = rng.choice(("flip", "cut", "repeat", "junk", "shuffle", "truncate"))
            i = rng.randrange(len(b) or 1)
            j = min(len(b), i + rng.randint(1, 2000))
            if op == "flip" and b:
                b[i] ^= 1 << rng.randrange(8)
            elif op == "cut":
                del b[i:j]
            elif op == "repeat":
                b[i:i] = b[i:j] * rng.randint(2, 20)
            elif op == "junk":
                b[i:i] = rng.randbytes(rng.randint(1, 64))
            elif op == "shuffle":
                lines = bytes(b).split(b"\n")
                rng.shuffle(lines)
                b = bytearray(b"\n".join(lines))
            else:
                del b[j:]
        yield bytes(b)


@pytest.mark.skipif(not SAMPLES.exists(), reason="the shared sample reports are not here")
@pytest.mark.parametrize("sample", ["report-zhongwei-2021.txt", "report-gaoping-2021.txt"])
def test_mutated_real_reports_are_read_or_refused_by_name(tmp_path: Path, sample: str) -> None:
    data = (SAMPLES / sample).read_bytes()
    for n, mutant in enumerate(_mutants(data, seed=len(sample), count=60 * SCALE)):
        path = tmp_path / f"变异{n}.txt"
        path.write_bytes(mutant)
        start = time.perf_counter()
        try:
            text = read_report_file(path)
        except ImportRejected as exc:
            assert path.name in exc.message
            continue
        report = parse_report_text(text)
        assert report.message != FAILED, f"mutant {n} of {sample}"
        assert time.perf_counter() - start < 5.0


def _text_mutants(text: str, seed: int, count: int) -> Iterator[str]:
    """Edited copies of a real report: lines lost, doubled, shuffled, merged, headings moved."""
    rng = random.Random(seed)
    for _ in range(count):
        lines = text.splitlines()
        for _ in range(rng.randint(1, 8)):
            if not lines:
                break
            i = rng.randrange(len(lines))
            op = rng.choice(("drop", "double", "shuffle", "merge", "insert", "cut", "renumber"))
            if op == "drop":
                del lines[i:i + rng.randint(1, 30)]
            elif op == "double":
                lines[i:i] = lines[i:i + rng.randint(1, 30)] * rng.randint(2, 5)
            elif op == "shuffle":
                part = lines[i:i + 40]
                rng.shuffle(part)
                lines[i:i + 40] = part
            elif op == "merge":
                lines[i:i + 10] = ["".join(lines[i:i + 10])]
            elif op == "insert":
                lines.insert(i, "".join(rng.choices(REPORT_FRAGMENTS, k=rng.randint(1, 6))))
            elif op == "cut":
                line = lines[i]
                lines[i] = line[: rng.randrange(len(line) + 1)]
            else:
                lines[i] = re.sub(r"^[（(]?[一二三四五六七八九十]+[、）)]", rng.choice(
                    ["1.", "（1）", "①", "一是", "", "第一，"]), lines[i])
        yield "\n".join(lines)


# The two public reports shared with the project, and the report shapes kept with the tests.
REAL_TEXTS = sorted([*SAMPLES.glob("*.txt"), *(Path(__file__).parent / "report_texts").glob("*.txt")])


@pytest.mark.parametrize("sample", REAL_TEXTS, ids=lambda p: p.name)
def test_edited_real_reports_always_parse(sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    count = (150 if sample.parent == SAMPLES else 25) * SCALE
    for n, mutant in enumerate(_text_mutants(text, seed=len(sample.name), count=count)):
        start = time.perf_counter()
        report = parse_report_text(mutant)
        assert report.message != FAILED, f"mutant {n} of {sample}"
        assert all(p.description.strip() for p in report.problems)
        assert time.perf_counter() - start < 5.0


def _report_docx(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for line in text.splitlines()[:150]:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.mark.skipif(not SAMPLES.exists(), reason="the shared sample reports are not here")
def test_damaged_word_reports_are_read_or_refused_by_name(tmp_path: Path) -> None:
    # Before the fix about half of these escaped as zlib.error (damaged deflate data).
    data = _report_docx((SAMPLES / "report-zhongwei-2021.txt").read_text(encoding="utf-8"))
    rng = random.Random(5)
    for n in range(60 * SCALE):
        b = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        path = tmp_path / f"损坏报告{n}.docx"
        path.write_bytes(bytes(b))
        try:
            text = read_report_file(path)
        except ImportRejected as exc:
            assert path.name in exc.message
            continue
        assert parse_report_text(text).message != FAILED
