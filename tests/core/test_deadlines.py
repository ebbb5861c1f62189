"""Tests for tracker.deadlines: every way clerks write 整改时限, and what must never happen."""

from __future__ import annotations

import calendar
import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.deadlines import Deadline, deadline_from_cell, describe, format_date_cn, parse_deadline
from tracker.domain import DeadlineKind
from tracker.errors import DeadlineError, ValidationError

REF = dt.date(2022, 5, 10)  # a Tuesday, mid-year, so year-relative words are unambiguous
D = dt.date
DATES = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))


def resolve(text: str, reference: dt.date = REF) -> dt.date | None:
    return parse_deadline(text, reference).date


def full_width(text: str) -> str:
    """What a Chinese IME in full-width mode produces for digits and . / -."""
    return text.translate(str.maketrans("0123456789./-", "０１２３４５６７８９．／－"))


# --- empty -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\t\n", "\u3000\u3000"])
def test_empty_or_whitespace_means_no_deadline(text: str) -> None:
    assert parse_deadline(text, REF) == Deadline(None, DeadlineKind.NONE, "")


@pytest.mark.parametrize("text", ["/", "／", "无", "暂无", "-", "—", "——", "未填写时限"])
def test_placeholder_cells_mean_no_deadline(text: str) -> None:
    result = parse_deadline(text, REF)
    assert (result.kind, result.date, result.text) == (DeadlineKind.NONE, None, text)


# --- full dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2022-12-31",
        "2022.12.31",
        "2022/12/31",
        "2022年12月31日",
        "2022年12月31号",
        "2022 年 12 月 31 日",
        "2022年12月31",
        "20221231",
        "２０２２年１２月３１日",
        "２０２２．１２．３１",
        "２０２２／１２／３１",
        "２０２２－１２－３１",
        "二〇二二年十二月三十一日",
        "2022-12-31 00:00:00",
    ],
)
def test_full_date_in_any_written_style_resolves_to_that_date(text: str) -> None:
    result = parse_deadline(text, REF)
    assert result == Deadline(D(2022, 12, 31), DeadlineKind.DATED, text)


def test_unpadded_numeric_date_is_accepted() -> None:
    assert resolve("2023.7.1") == D(2023, 7, 1)
    assert resolve("2023年7月1日") == D(2023, 7, 1)


def test_date_without_year_uses_reference_year() -> None:
    assert resolve("9月1日前") == D(2022, 9, 1)


def test_relative_year_with_full_date_resolves_against_reference() -> None:
    assert resolve("明年3月15日") == D(2023, 3, 15)


# --- month ends ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2022年12月",
        "2022.12",
        "2022-12",
        "2022/12",
        "2022年12月底",
        "2022年12月底前",
        "2022年12月前",
        "2022年12月份",
        "2022年12月末",
        "２０２２．１２",
        "12月底前",
        "十二月",
        "12月份",
    ],
)
def test_month_deadline_resolves_to_last_day_of_month(text: str) -> None:
    assert resolve(text) == D(2022, 12, 31)


def test_month_end_respects_february_and_leap_years() -> None:
    assert resolve("2023年2月底") == D(2023, 2, 28)
    assert resolve("2024.2") == D(2024, 2, 29)
    assert resolve("2022年6月") == D(2022, 6, 30)


def test_chinese_numeral_month_is_accepted() -> None:
    assert resolve("七月底") == D(2022, 7, 31)
    assert resolve("十一月前") == D(2022, 11, 30)
    assert resolve("2023年三月") == D(2023, 3, 31)


def test_month_range_resolves_to_the_end_of_its_last_month_in_the_stated_year() -> None:
    assert resolve("2023年1-6月") == D(2023, 6, 30)
    assert resolve("2023年3至6月底前") == D(2023, 6, 30)
    assert resolve("三至六月") == D(2022, 6, 30)


def test_parts_of_a_month_resolve_to_the_end_of_that_part() -> None:
    assert resolve("6月上旬") == D(2022, 6, 10)
    assert resolve("6月中旬前") == D(2022, 6, 20)
    assert resolve("6月下旬") == D(2022, 6, 30)


def test_this_and_next_month_resolve_against_reference() -> None:
    assert resolve("本月底") == D(2022, 5, 31)
    assert resolve("下个月底前") == D(2022, 6, 30)
    assert resolve("下月底", D(2022, 12, 3)) == D(2023, 1, 31)


# --- year ends, halves, quarters -------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2022年底", "2022年年底", "2022年年底前", "2022年末", "年底前", "年底", "今年底", "本年度内", "年内", "今年年底前"]
)
def test_year_end_deadline_resolves_to_december_31(text: str) -> None:
    assert resolve(text) == D(2022, 12, 31)


def test_year_end_without_year_uses_reference_year() -> None:
    assert resolve("年底前", D(2024, 1, 2)) == D(2024, 12, 31)


def test_bare_year_means_the_end_of_that_year() -> None:
    assert resolve("2023年完成") == D(2023, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明年7月份", D(2023, 7, 31)),
        ("明年7月底前", D(2023, 7, 31)),
        ("明年底", D(2023, 12, 31)),
        ("明年年底前", D(2023, 12, 31)),
        ("次年6月", D(2023, 6, 30)),
        ("明年上半年", D(2023, 6, 30)),
    ],
)
def test_next_year_words_resolve_to_the_following_year(text: str, expected: dt.date) -> None:
    assert resolve(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上半年", D(2022, 6, 30)),
        ("下半年", D(2022, 12, 31)),
        ("2023年上半年", D(2023, 6, 30)),
        ("2023年下半年", D(2023, 12, 31)),
        ("今年上半年", D(2022, 6, 30)),
        ("明年下半年", D(2023, 12, 31)),
    ],
)
def test_half_year_resolves_to_june_30_or_december_31(text: str, expected: dt.date) -> None:
    assert resolve(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The first quarter is already over in May 2022: written then, it means next year's.
        ("第一季度", D(2023, 3, 31)),
        ("一季度末", D(2023, 3, 31)),
        ("二季度", D(2022, 6, 30)),
        ("2023年第三季度", D(2023, 9, 30)),
        ("第4季度", D(2022, 12, 31)),
        ("明年一季度", D(2023, 3, 31)),
    ],
)
def test_quarter_resolves_to_quarter_end(text: str, expected: dt.date) -> None:
    assert resolve(text) == expected


# --- text around dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022年12月31日前", D(2022, 12, 31)),
        ("2022年12月31日前完成", D(2022, 12, 31)),
        ("2022年12月31日之前", D(2022, 12, 31)),
        ("完成时限：2022年底前", D(2022, 12, 31)),
        ("于2023年6月底前整改到位", D(2023, 6, 30)),
    ],
)
def test_surrounding_words_are_tolerated(text: str, expected: dt.date) -> None:
    assert resolve(text) == expected


def test_several_dates_take_the_latest() -> None:
    text = "2022年6月底前完成初步整改，2022年12月底前全面完成"
    assert resolve(text) == D(2022, 12, 31)
    assert resolve("2023年3月前全面完成，2022年10月前完成方案") == D(2023, 3, 31)


def test_yearless_later_stage_inherits_the_year_written_before_it() -> None:
    assert resolve("2023年6月底前完成初步整改，12月底前全面完成") == D(2023, 12, 31)
    assert resolve("2023年6月底前初步整改，年底前全面完成") == D(2023, 12, 31)


def test_durations_and_since_are_not_mistaken_for_dates() -> None:
    with pytest.raises(DeadlineError):
        parse_deadline("半年内", REF)
    assert parse_deadline("2022年以来持续推进", REF).kind is DeadlineKind.ONGOING


def test_describe_output_reads_back_as_the_same_deadline() -> None:
    original = parse_deadline("2022年底前", REF)
    again = parse_deadline(describe(original), REF)
    assert again.date == original.date
    assert parse_deadline(describe(parse_deadline("长期坚持", REF)), REF).kind is DeadlineKind.ONGOING


# --- immediate and ongoing -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["立行立改", "即知即改", "立即整改"])
def test_immediate_rectification_is_due_on_the_reference_date(text: str) -> None:
    assert parse_deadline(text, REF) == Deadline(REF, DeadlineKind.DATED, text)


@pytest.mark.parametrize("text", ["长期坚持", "持续整改", "常态化", "长期", "持续推进", "长效", "建立长效机制，常态化推进"])
def test_ongoing_words_give_ongoing_without_date(text: str) -> None:
    assert parse_deadline(text, REF) == Deadline(None, DeadlineKind.ONGOING, text)


def test_ongoing_word_with_a_date_is_dated_with_that_date() -> None:
    result = parse_deadline("长期坚持，2022年底前完成阶段任务", REF)
    assert (result.kind, result.date) == (DeadlineKind.DATED, D(2022, 12, 31))


# --- errors ----------------------------------------------------------------------------------


def test_impossible_month_is_rejected_with_the_reason() -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("2022年13月45日", REF)
    assert caught.value.message == "“2022年13月45日”不是有效日期：月份应为1至12"
    assert caught.value.code == "bad_deadline"
    assert isinstance(caught.value, ValidationError)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023年2月29日", "2023年2月只有28天"),
        ("2022-04-31", "2022年4月只有30天"),
        ("2022.12.0", "日应为1至31"),
        ("0000年12月31日", "年份应在1990至2100之间"),
        ("1989年12月", "年份应在1990至2100之间"),
        ("2101.01.01", "年份应在1990至2100之间"),
        ("20221301", "月份应为1至12"),
        ("2022.0", "月份应为1至12"),
        ("十三月", "月份应为1至12"),
        ("2022年6月底前初步整改，2022年13月底前完成", "月份应为1至12"),
    ],
)
def test_impossible_dates_are_rejected_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(DeadlineError, match=reason):
        parse_deadline(text, REF)


def test_unrecognised_text_is_rejected_with_a_hint() -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("尽快", REF)
    assert caught.value.message == (
        "无法识别整改时限“尽快”，请写成 2022年12月31日、2022年12月底、年底前 或 长期坚持 等形式"
    )


@pytest.mark.parametrize("text", ["abc", "尽快", "之前", "2022", "2022.12.345", "2022年123月", "\x00\x01"])
def test_text_that_is_not_a_deadline_is_rejected(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(text, REF)


def test_error_message_quotes_long_text_only_briefly() -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("无法" * 5000, REF)
    assert len(caught.value.message) < 120
    assert "…" in caught.value.message


def test_non_string_input_raises_deadline_error() -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(None, REF)  # type: ignore[arg-type]


def test_datetime_reference_is_treated_as_its_date() -> None:
    assert parse_deadline("立行立改", dt.datetime(2022, 5, 10, 9, 30)).date == REF


@pytest.mark.parametrize(
    "text",
    [
        "年底" * 100_000,
        "2" * 200_000,
        "2022年" * 40_000,
        "\x00" * 200_000,
        "2022." * 50_000,
        " ?" * 100_000,
        "十" * 200_000,
        "(" * 100_000 + "2022",
    ],
)
def test_hostile_input_is_handled_in_linear_time(text: str) -> None:
    start = time.perf_counter()
    try:
        result = parse_deadline(text, REF)
    except DeadlineError:
        pass
    else:
        assert result.text == text.strip()
    assert time.perf_counter() - start < 2.0


# --- cells -----------------------------------------------------------------------------------


def test_datetime_cell_is_dated_with_chinese_text() -> None:
    expected = Deadline(D(2022, 12, 31), DeadlineKind.DATED, "2022年12月31日")
    assert deadline_from_cell(dt.datetime(2022, 12, 31, 0, 0), REF) == expected
    assert deadline_from_cell(D(2022, 12, 31), REF) == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_cell_means_no_deadline(value: object) -> None:
    assert deadline_from_cell(value, REF).kind is DeadlineKind.NONE


def test_text_cell_is_parsed_as_text() -> None:
    assert deadline_from_cell("年底前", REF) == Deadline(D(2022, 12, 31), DeadlineKind.DATED, "年底前")


@pytest.mark.parametrize(("value", "text"), [(20221231, "20221231"), (20221231.0, "20221231"), (2022.12, "2022.12")])
def test_numeric_cell_is_read_as_the_digits_typed(value: object, text: str) -> None:
    assert deadline_from_cell(value, REF) == Deadline(D(2022, 12, 31), DeadlineKind.DATED, text)


def test_numeric_cell_like_excel_serial_date_is_not_accepted_silently() -> None:
    with pytest.raises(DeadlineError, match="日期序号.*2022年12月31日"):
        deadline_from_cell(44926, REF)


def test_numeric_cell_2022_point_1_is_ambiguous_with_october() -> None:
    # Excel turns a typed 2022.10 into the number 2022.1.
    with pytest.raises(DeadlineError, match="2022年10月"):
        deadline_from_cell(2022.1, REF)


@pytest.mark.parametrize("value", [True, [2022], b"2022.12", float("nan"), float("inf"), D(1899, 12, 31), 3.5])
def test_other_cell_values_raise_deadline_error(value: object) -> None:
    with pytest.raises(DeadlineError):
        deadline_from_cell(value, REF)


# --- formatting ------------------------------------------------------------------------------


def test_format_date_cn_writes_no_zero_padding() -> None:
    assert format_date_cn(D(2022, 12, 31)) == "2022年12月31日"
    assert format_date_cn(D(2023, 7, 1)) == "2023年7月1日"


def test_describe_shows_date_with_weekday_or_kind() -> None:
    assert describe(Deadline(D(2022, 12, 31), DeadlineKind.DATED, "年底前")) == "2022年12月31日（星期六）"
    assert describe(Deadline(D(2023, 1, 1), DeadlineKind.DATED, "")) == "2023年1月1日（星期日）"
    assert describe(Deadline(None, DeadlineKind.ONGOING, "长期坚持")) == "长期坚持（无截止日期）"
    assert describe(Deadline(None, DeadlineKind.NONE, "")) == "未填写时限"


# --- properties ------------------------------------------------------------------------------

NUMERIC_STYLES = [
    lambda d: f"{d:%Y-%m-%d}",
    lambda d: f"{d:%Y.%m.%d}",
    lambda d: f"{d:%Y/%m/%d}",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d:%Y%m%d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}号",
    lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日前",
    lambda d: full_width(f"{d:%Y.%m.%d}"),
    lambda d: full_width(f"{d.year}年{d.month}月{d.day}日"),
]


@given(DATES, st.sampled_from(NUMERIC_STYLES), DATES)
def test_property_any_valid_date_in_any_numeric_style_round_trips(
    day: dt.date, style: object, reference: dt.date
) -> None:
    text = style(day)  # type: ignore[operator]
    assert parse_deadline(text, reference) == Deadline(day, DeadlineKind.DATED, text.strip())


@given(DATES, DATES)
def test_property_format_date_cn_parses_back_to_the_same_date(day: dt.date, reference: dt.date) -> None:
    assert resolve(format_date_cn(day), reference) == day
    assert deadline_from_cell(day, reference).date == day


MONTH_END_STYLES = [
    lambda y, m: f"{y}年{m}月",
    lambda y, m: f"{y}.{m}",
    lambda y, m: f"{y}-{m:02d}",
    lambda y, m: f"{y}/{m}",
    lambda y, m: f"{y}年{m}月底",
    lambda y, m: f"{y}年{m}月底前",
    lambda y, m: f"{y}年{m}月前",
    lambda y, m: f"{y}年{m}月份",
    lambda y, m: f"完成时限：{y}年{m}月末",
]


@given(st.integers(1990, 2100), st.integers(1, 12), st.sampled_from(MONTH_END_STYLES))
def test_property_month_end_forms_give_last_day_of_that_month(year: int, month: int, style: object) -> None:
    expected = D(year, month, calendar.monthrange(year, month)[1])
    assert resolve(style(year, month)) == expected  # type: ignore[operator]


@given(st.lists(DATES, min_size=1, max_size=4))
def test_property_several_dates_resolve_to_the_latest(days: list[dt.date]) -> None:
    text = "，".join(f"{format_date_cn(d)}前完成第{i + 1}阶段" for i, d in enumerate(days))
    assert resolve(text) == max(days)


def _parse_or_reject(text: str, reference: dt.date) -> None:
    try:
        result = parse_deadline(text, reference)
    except DeadlineError as error:
        assert error.message
        return
    assert result.text == text.strip()
    assert (result.date is None) == (result.kind is not DeadlineKind.DATED)


@given(st.text(), DATES)
def test_property_arbitrary_text_returns_a_deadline_or_raises_deadline_error(text: str, reference: dt.date) -> None:
    _parse_or_reject(text, reference)


# Text built from the characters the parser reacts to, so the search reaches its corners.
DEADLINE_ALPHABET = "0123456789０１２３ -./．年月日号底前末份上下半季度第一二三四七十〇今明次本内旬长期持续立即改以来个"


@settings(max_examples=300)
@given(st.text(alphabet=DEADLINE_ALPHABET, max_size=40), DATES)
def test_property_deadline_like_text_returns_a_deadline_or_raises_deadline_error(
    text: str, reference: dt.date
) -> None:
    _parse_or_reject(text, reference)


CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=8),
)


@given(CELL_VALUES, DATES)
def test_property_any_cell_value_returns_a_deadline_or_raises_deadline_error(value: object, reference: dt.date) -> None:
    try:
        result = deadline_from_cell(value, reference)
    except DeadlineError:
        return
    assert isinstance(result, Deadline)


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("6月底前", dt.date(2022, 11, 20), D(2023, 6, 30)),
        ("1月15日前", dt.date(2022, 11, 20), D(2023, 1, 15)),
        ("12月底前", dt.date(2022, 11, 20), D(2022, 12, 31)),
        ("6月底前", dt.date(2022, 6, 1), D(2022, 6, 30)),
    ],
)
def test_yearless_date_already_past_means_next_year(text: str, reference: dt.date,
                                                      expected: dt.date) -> None:
    assert resolve(text, reference) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年春季开学前", D(2023, 2, 28)),
        ("2023年秋季学期开学前", D(2023, 8, 31)),
        ("秋季开学前", D(2022, 8, 31)),
        ("9月开学前", D(2022, 8, 31)),
    ],
)
def test_school_term_start_is_the_month_end_before_it(text: str, expected: dt.date) -> None:
    assert resolve(text) == expected


def test_recurring_date_without_a_year_is_ongoing() -> None:
    d = parse_deadline("每年12月", REF)
    assert (d.date, d.kind) == (None, DeadlineKind.ONGOING)
    assert parse_deadline("2023年12月底前完成，之后每年开展", REF).date == D(2023, 12, 31)
