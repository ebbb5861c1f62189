"""The Excel importer under fuzzing: workbooks with random cell values (hypothesis), and real
workbooks (an export of the app's own ledger, a hand-made one) mutated inside their XML and
their bytes. Every file is imported or refused with a typed Chinese message; a refusal leaves
the ledger exactly as it was; nothing takes long."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import re
import sqlite3
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tracker.db.backup import backup_to
from tracker.db.engine import Ledger, open_ledger
from tracker.demo import build_demo
from tracker.errors import ImportRejected, TrackerError
from tracker.excel.export import export_ledger
from tracker.excel.import_plan import build_plan
from tracker.services.imports import apply_plan

MAX_SECONDS = 10.0
SCALE = int(os.environ.get("RECTIFY_FUZZ_SCALE", "1"))  # more inputs, run by hand
_CJK = re.compile(r"[\u4e00-\u9fff]")
HEADER = ["序号", "问题来源", "存在问题", "整改措施", "牵头单位", "责任人", "整改时限", "整改进展",
          "完成情况", "备注"]
OUTCOMES: Counter[str] = Counter()  # tallied for docs/reliability.md


@pytest.fixture(scope="module", autouse=True)
def tally() -> Iterator[None]:
    """Print how the fuzzed files ended (run with -s) for docs/reliability.md."""
    yield
    print(f"\nExcel import fuzz outcomes: {dict(OUTCOMES)}")


def _snapshot(led: Ledger) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(led.path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("source", "problem", "measure", "progress_note", "change_log", "unit")}
    finally:
        conn.close()


def import_or_refuse(led: Ledger, path: Path) -> str:
    """Import ``path`` as the window does; a refusal must be typed, Chinese, and change nothing."""
    before = _snapshot(led)
    start = time.perf_counter()
    try:
        apply_plan(led, build_plan(led, path))
        outcome = "imported"
    except TrackerError as exc:
        text = exc.full_text() if isinstance(exc, ImportRejected) else exc.message
        assert _CJK.search(text), text
        if isinstance(exc, ImportRejected):
            assert path.name in text, f"the refusal must name the file: {text}"
        assert _snapshot(led) == before, "a refused import changed the ledger"
        outcome = f"refused: {type(exc).__name__}"
    assert time.perf_counter() - start < MAX_SECONDS
    OUTCOMES[outcome] += 1
    return outcome


def handmade_workbook() -> bytes:
    """A ledger as clerks make it: merged title, 填报单位 line, merged problem cells, dates as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["XX县2021年履行教育职责评价反馈问题整改台账"])
    ws.merge_cells("A1:J1")
    ws.append(["填报单位：XX县教育局  填报日期：2022年6月30日"])
    ws.merge_cells("A2:J2")
    ws.append(HEADER)
    rows = [
        (1, "督导反馈", "城区学校大班额问题突出", ["新建学校", "调整学区"], "县教育局", "李明",
         ["2022.12.31", "2023年8月底前"], "已开工", "整改中"),
        (2, "督导反馈", "教师结构性缺编，音体美教师不足**名", ["公开招聘"], "县人社局", "王芳",
         ["长期坚持"], "", "长期坚持"),
        (3, "自查", "食堂留样记录不规范", ["专项检查", "培训从业人员", "校长陪餐"], "县市场监管局",
         "张伟", ["年底前", "2022年9月", dt.date(2022, 10, 31)], "已完成检查", "已完成"),
    ]
    for seq, src, desc, measures, unit, owner, deadlines, progress, status in rows:
        first = ws.max_row + 1
        for k, (m, d) in enumerate(zip(measures, deadlines)):
            ws.append([seq if k == 0 else None, src if k == 0 else None, desc if k == 0 else None,
                       m, unit, owner, d, progress, status, None])
        if len(measures) > 1:
            for col in (1, 2, 3):
                ws.merge_cells(start_row=first, start_column=col, end_row=ws.max_row,
                               end_column=col)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A demo ledger and the app's own export of it (a real file, with its round-trip ids)."""
    folder = tmp_path_factory.mktemp("real")
    led = open_ledger(folder / "demo.sqlite", auto_backup=False)
    build_demo(led, 25, today=dt.date(2026, 11, 23))
    export_ledger(led, folder / "导出台账.xlsx")
    led.close()
    return folder / "demo.sqlite", (folder / "导出台账.xlsx").read_bytes()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Ledger]:
    """A ledger with one problem already in it, for hand-made and random workbooks."""
    from tracker.domain import ProblemInput
    from tracker.services.problems import create_problem

    led = open_ledger(tmp_path / "target.sqlite", user="导入测试", auto_backup=False)
    create_problem(led, ProblemInput("导入前已有的问题"))
    yield led
    led.close()


@pytest.fixture
def demo_copy(tmp_path: Path, demo: tuple[Path, bytes]) -> Iterator[Ledger]:
    """A copy of the exported ledger, so its export re-imports as a round trip."""
    src = open_ledger(demo[0], auto_backup=False)
    backup_to(src, tmp_path / "copy.sqlite")
    src.close()
    led = open_ledger(tmp_path / "copy.sqlite", user="导入测试", auto_backup=False)
    yield led
    led.close()


def test_the_unmutated_real_files_import(demo, demo_copy: Ledger, target: Ledger,
                                         tmp_path: Path) -> None:
    (tmp_path / "导出台账.xlsx").write_bytes(demo[1])
    assert import_or_refuse(demo_copy, tmp_path / "导出台账.xlsx") == "imported"
    (tmp_path / "手工台账.xlsx").write_bytes(handmade_workbook())
    assert import_or_refuse(target, tmp_path / "手工台账.xlsx") == "imported"
    assert len(_snapshot(target)["problem"]) == 4


HOSTILE_VALUES = ["", " ", "-1", "0", "1e308", "-1e308", "NaN", "inf", "99999999999999999999",
                  "2022-13-45", "abc", "=1+1", "1048577", "4294967296", "&lt;", "\u202e", "長期堅持"]
CELL_TYPES = ["s", "n", "b", "e", "str", "inlineStr", "d"]


def _mutate_xml(xml: str, rng: random.Random) -> str:
    """One structural edit of a worksheet or shared-strings part."""
    op = rng.choice(("cut", "row", "type", "ref", "value", "merge", "nomerge", "formula", "dim"))
    if op == "cut" and xml:
        i = rng.randrange(len(xml))
        return xml[:i] + xml[i + rng.randint(1, 200):]
    if op == "row":
        rows = list(re.finditer(r"<row [^>]*>.*?</row>", xml, re.S))
        if rows:
            r = rng.choice(rows)
            return xml[:r.end()] + r.group(0) * rng.randint(1, 3) + xml[r.end():]
    if op == "type":
        return re.sub(r'(<c [^>]*?)( t="[^"]*")?(?=[ >/])', lambda m: m.group(1) + f' t="{rng.choice(CELL_TYPES)}"'
                      if rng.random() < 0.3 else m.group(0), xml)
    if op == "ref":
        cells = list(re.finditer(r' r="[A-Z]*[0-9]*"', xml))
        if cells:
            c = rng.choice(cells)
            ref = rng.choice(["ZZZ1", "A0", "", "1A", "XFD1048576", "A99999999", "B3", "A1"])
            return xml[:c.start()] + f' r="{ref}"' + xml[c.end():]
    if op == "value":
        vals = list(re.finditer(r"<(v|t)>([^<]*)</\1>", xml))
        if vals:
            v = rng.choice(vals)
            new = rng.choice(HOSTILE_VALUES)
            return xml[:v.start(2)] + new + xml[v.end(2):]
    if op == "merge" and "</worksheet>" in xml:
        a, b = rng.choice(["A4:C9", "C9:A4", "A1:XFD1", "B5:B5", "A4:J100000", "D4:D6"]).split(":")
        merge = f'<mergeCells count="1"><mergeCell ref="{a}:{b}"/></mergeCells>'
        xml = re.sub(r"<mergeCells.*?</mergeCells>", "", xml, flags=re.S)
        return xml.replace("</sheetData>", "</sheetData>" + merge, 1)
    if op == "nomerge":
        return re.sub(r"<mergeCells.*?</mergeCells>", "", xml, flags=re.S)
    if op == "formula":
        return re.sub(r"<v>", "<f>SUM(A1:A3)&amp;\"x\"</f><v>", xml, count=rng.randint(1, 5))
    if op == "dim":
        return re.sub(r'<dimension ref="[^"]*"/>',
                      f'<dimension ref="{rng.choice(["A1", "A1:XFD1048576", "Z9:A1", ""])}"/>', xml)
    return xml


def _mutant(data: bytes, rng: random.Random) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = [n for n in src.namelist()
             if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml"]
    chosen = rng.choice(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            body = src.read(name)
            if name == chosen:
                text = body.decode("utf-8", "replace")
                for _ in range(rng.randint(1, 4)):
                    text = _mutate_xml(text, rng)
                body = text.encode("utf-8")
            z.writestr(name, body)
    return out.getvalue()


def test_the_app_export_mutated_inside_its_xml(demo, demo_copy: Ledger, tmp_path: Path) -> None:
    rng = random.Random("export")
    for n in range(40 * SCALE):
        path = tmp_path / f"导出-变异{n}.xlsx"
        path.write_bytes(_mutant(demo[1], rng))
        import_or_refuse(demo_copy, path)


def test_a_handmade_ledger_mutated_inside_its_xml(target: Ledger, tmp_path: Path) -> None:
    rng, data = random.Random("handmade"), handmade_workbook()
    for n in range(40 * SCALE):
        path = tmp_path / f"手工-变异{n}.xlsx"
        path.write_bytes(_mutant(data, rng))
        import_or_refuse(target, path)


def test_real_workbooks_with_damaged_bytes(demo, target: Ledger, tmp_path: Path) -> None:
    rng = random.Random(11)
    for n in range(30 * SCALE):
        data = bytearray(rng.choice([demo[1], handmade_workbook()]))
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"损坏{n}.xlsx"
        path.write_bytes(bytes(data))
        import_or_refuse(target, path)


_safe_text = st.text(max_size=60).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
cell_values = st.one_of(
    st.none(), _safe_text, st.sampled_from(["长期坚持", "年底前", "2022.12.31", "整改中", "已完成",
                                            "已销号", "市教育局", "=HYPERLINK(\"http://x\")", "+1",
                                            "-", "@SUM(A1)", "无", "**"]),
    st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1900, 3, 1), dt.date(2200, 1, 1)), st.booleans(),
    st.just("很长的描述" * 7000),
)
rows = st.lists(st.lists(cell_values, min_size=len(HEADER), max_size=len(HEADER)),
                min_size=1, max_size=12)


@settings(max_examples=60 * SCALE, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=rows, header_row=st.integers(1, 4))
def test_any_cell_values_are_imported_or_refused_cell_by_cell(target: Ledger, tmp_path: Path,
                                                               table: list[list[object]],
                                                               header_row: int) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    for _ in range(header_row - 1):
        ws.append(["整改台账"])
    ws.append(HEADER)
    for row in table:
        ws.append(row)
    path = tmp_path / "随机内容.xlsx"
    wb.save(path)
    before = len(_snapshot(target)["problem"])
    if import_or_refuse(target, path) == "imported":
        # Text that looks like a formula stays text, exactly as typed.
        conn = sqlite3.connect(target.path)
        try:
            stored = {r[0] for r in conn.execute("SELECT description FROM problem")}
            assert conn.execute("SELECT COUNT(*) FROM problem").fetchone()[0] >= before
        finally:
            conn.close()
        for row in table:
            desc = row[HEADER.index("存在问题")]
            if desc in ('=HYPERLINK("http://x")', "+1", "@SUM(A1)"):
                assert desc in stored


