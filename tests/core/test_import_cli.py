"""`rectify import-excel`: the Chinese summary in --dry-run, 已导入 after, every error listed
with exit 1, and conflicts refused until --resolve says which side wins."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import TODAY
from tests.core.import_books import standard_book, two_problem_rows
from tracker.cli.main import main
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions
from tracker.services.measures import update_measure
from tracker.services.problems import create_problem
from tracker.services.queries import count_problems, get_problem


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), "import-excel", *args])


def test_dry_run_prints_the_summary_and_writes_nothing(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = standard_book(tmp_path / "台账.xlsx", two_problem_rows())
    db = tmp_path / "l.sqlite"
    assert run(db, str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "将导入 2 个问题、4 项措施、2 条整改进展；新建单位：县委编办、县教育局、县公安局" in out
    assert not db.exists()


def test_import_prints_what_was_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = standard_book(tmp_path / "台账.xlsx", two_problem_rows())
    db = tmp_path / "l.sqlite"
    assert run(db, str(path)) == 0
    assert "已导入 2 个问题、4 项措施、2 条整改进展" in capsys.readouterr().out
    ledger = open_ledger(db)
    try:
        assert count_problems(ledger) == 2
    finally:
        ledger.close()


def test_a_bad_file_lists_every_error_and_exits_1(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    rows = [({"存在问题": "甲"}, [{"整改措施": "a", "整改时限": "某天"}]),
            ({"存在问题": "乙"}, [{"整改措施": "b", "完成情况": "还行"}])]
    db = tmp_path / "l.sqlite"
    assert run(db, str(standard_book(tmp_path / "坏.xlsx", rows))) == 1
    err = capsys.readouterr().err
    assert "没有导入任何内容" in err
    assert "坏.xlsx，工作表“台账”，第4行，H列：无法识别整改时限“某天”" in err
    assert "坏.xlsx，工作表“台账”，第5行，J列：无法识别完成情况“还行”" in err


def test_an_xls_file_gets_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "旧.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert run(tmp_path / "l.sqlite", str(path)) == 1
    assert "另存为" in capsys.readouterr().err


def test_conflicts_are_refused_until_resolve_chooses(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "l.sqlite"
    ledger = open_ledger(db)
    try:
        row = create_problem(ledger, ProblemInput(description="缺编", measures=(
            MeasureInput(text="核定编制", status=Status.IN_PROGRESS),)))
        mid = row.measures[0].id
        path = tmp_path / "导出.xlsx"
        export_ledger(ledger, path, options=ExportOptions(report_date=TODAY))
        update_measure(ledger, mid, status=Status.ONGOING)
    finally:
        ledger.close()
    wb = load_workbook(path)
    wb["台账"]["M4"] = "已完成"
    wb.save(path)

    assert run(db, str(path)) == 1
    captured = capsys.readouterr()
    assert "【冲突：导出后这一条已在台账中修改过】" in captured.out
    assert "--resolve keep-ledger" in captured.err
    assert run(db, str(path), "--resolve", "take-file") == 0
    assert "更新了 1 个问题的 1 处内容" in capsys.readouterr().out
    ledger = open_ledger(db)
    try:
        assert get_problem(ledger, row.id).measures[0].status is Status.DONE
    finally:
        ledger.close()


def test_the_cli_choices_are_the_resolutions_the_importer_knows() -> None:
    from tracker.cli import import_cmds
    from tracker.excel import roundtrip

    assert import_cmds.RESOLUTIONS == roundtrip.RESOLUTIONS


def test_a_file_from_another_ledger_is_refused_and_as_new_imports_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "county").mkdir()
    county = open_ledger(tmp_path / "county" / "县台账.sqlite")
    try:
        create_problem(county, ProblemInput(description="县里的问题", measures=(MeasureInput("甲"),)))
        path = tmp_path / "县台账导出.xlsx"
        export_ledger(county, path, options=ExportOptions(report_date=TODAY))
    finally:
        county.close()
    db = tmp_path / "市台账.sqlite"
    ledger = open_ledger(db)
    try:
        create_problem(ledger, ProblemInput(description="市里的问题", measures=(MeasureInput("乙"),)))
    finally:
        ledger.close()

    assert run(db, str(path)) == 1
    err = capsys.readouterr().err
    assert "另一个台账“县台账.sqlite”" in err and "--as-new" in err
    assert run(db, str(path), "--as-new") == 0
    assert "已导入 1 个问题、1 项措施" in capsys.readouterr().out
    ledger = open_ledger(db)
    try:
        assert count_problems(ledger) == 2 and get_problem(ledger, 1).description == "市里的问题"
    finally:
        ledger.close()


def test_map_and_date_options_reach_the_importer(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from tracker.cli.main import main

    header = ["序号", "存在问题", "整改措施", "责任科室", "完成时限", "整改进度"]
    book = standard_book(tmp_path / "台账.xlsx", [
        ({"序号": 1, "存在问题": "食堂留样不规范"},
         [{"整改措施": "开展检查", "责任科室": "安全股", "完成时限": "年底前",
           "整改进度": "已完成"}])], header=header, fill="填报单位：XX县教育局")
    db = tmp_path / "l.sqlite"
    code = main(["--db", str(db), "import-excel", str(book), "--dry-run",
                 "--map", "责任科室=牵头单位", "--date", "2023-06-30"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "责任科室" in out and "牵头单位" in out  # the mapping is shown
    code = main(["--db", str(db), "import-excel", str(book), "--date", "2023-06-30"])
    assert code == 0
    from tracker.db.engine import open_ledger
    from tracker.services.queries import list_problems

    led = open_ledger(db)
    try:
        (p,) = list_problems(led)
        m = p.measures[0]
        assert (m.lead_unit, m.deadline.isoformat(), m.status.value) == ("安全股", "2023-12-31",
                                                                        "done")
    finally:
        led.close()
