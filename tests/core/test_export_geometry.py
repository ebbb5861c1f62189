"""Page geometry: text widths, wrapped line counts, column widths that fit the page, row
heights that hold the merged problem text, and page breaks that keep a problem together."""

from __future__ import annotations

import pytest

from tracker.excel.export_options import COLUMNS, DEFAULT_COLUMNS, check_columns
from tracker.excel.layout import (
    MAX_ROW_PT,
    MIN_LONG_UNITS,
    PAGE_WIDTH_UNITS,
    HeightPlanner,
    PageFlow,
    capacity,
    fit_widths,
    line_count,
    lines_height,
    text_width,
)


@pytest.mark.parametrize("text, width", [
    ("", 0), ("abc", 3), ("整改", 4), ("2026年7月底前", 4 + 2 + 1 + 2 + 2 + 2), ("“回头看”", 10),
])
def test_cjk_characters_count_as_two_half_widths(text: str, width: int) -> None:
    assert text_width(text) == width


def test_wrapped_text_takes_one_line_per_capacity_and_per_paragraph() -> None:
    assert line_count("", 10) == 1
    assert line_count("整改" * 5, 10) == 2  # 20 half-widths in a 10 half-width line
    assert line_count("整改" * 5, 20) == 1
    assert line_count("整改" * 6, 20) == 2
    assert line_count("第一行\n\n第三行", 40) == 3


def test_wider_columns_and_smaller_fonts_hold_more_per_line() -> None:
    assert capacity(20, 10) > capacity(10, 10)
    assert capacity(20, 9) > capacity(20, 12)


def test_all_columns_fit_the_page_budget_and_short_ones_shrink_to_content() -> None:
    cols = check_columns(DEFAULT_COLUMNS)
    extents = {c.key: 4 for c in cols}  # every short column holds two CJK characters at most
    widths = fit_widths(cols, extents, 10)
    assert sum(widths) == pytest.approx(PAGE_WIDTH_UNITS, abs=1)
    by_key = dict(zip([c.key for c in cols], widths))
    assert by_key["remarks"] < COLUMNS["remarks"].width  # 备注 shrank to its header
    assert by_key["description"] > COLUMNS["description"].width  # running text got the room


def test_running_text_columns_never_get_narrower_than_the_minimum() -> None:
    cols = check_columns(DEFAULT_COLUMNS)
    widths = fit_widths(cols, {}, 10, budget=60)
    for col, w in zip(cols, widths):
        if not col.short:
            assert w >= MIN_LONG_UNITS


def test_merged_problem_text_makes_its_rows_tall_enough() -> None:
    planner = HeightPlanner([20.0, 20.0], merged=[True, False], font_pt=10)
    long_problem = "学位" * 100  # 400 half-widths in a 20-unit column
    lines = [[long_problem, "措施一"], [long_problem, "措施二"]]
    heights = planner.heights(lines)
    needed = lines_height(line_count(long_problem, capacity(20, 10)), 10)
    assert sum(heights) >= needed - 0.1
    assert heights[0] == heights[1]  # the extra height is shared evenly


def test_measure_text_alone_sets_its_own_row() -> None:
    planner = HeightPlanner([20.0, 20.0], merged=[True, False], font_pt=10)
    short, tall = planner.heights([["短", "短"], ["短", "措施" * 40]])
    assert tall > short


def test_row_height_never_exceeds_excels_limit() -> None:
    planner = HeightPlanner([10.0], merged=[False], font_pt=10)
    assert planner.heights([["字" * 5000]]) == [MAX_ROW_PT]


def test_page_flow_breaks_before_a_problem_that_would_straddle_pages() -> None:
    flow = PageFlow(room=500, repeated=20, used=100)
    assert flow.break_before(300) is False  # 400 used
    assert flow.break_before(150) is True  # would reach 550: starts a new page
    assert flow.used == 170
    assert flow.break_before(1000) is False  # taller than any page: flows on, no empty page
