"""Files that must not hurt: old .xls, WPS, password-protected, not Excel at all, zip and XML
bombs. Each gets one clear Chinese sentence, and nothing is imported."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.core.import_books import standard_book, two_problem_rows
from tracker.db.engine import Ledger
from tracker.errors import ImportRejected
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.excel.reading import CFB_MAGIC, open_workbook
from tracker.services.queries import list_problems

OPTIONS = ImportOptions(today=dt.date(2026, 11, 23))


def refused(ledger: Ledger, path: Path) -> str:
    with pytest.raises(ImportRejected) as info:
        build_plan(ledger, path, OPTIONS)
    assert list_problems(ledger) == []
    return info.value.full_text()


def test_old_xls_file_is_refused_with_how_to_save_as_xlsx(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "台账.xls"
    path.write_bytes(CFB_MAGIC + b"\x00" * 4000 + "Workbook".encode("utf-16-le"))
    text = refused(ledger, path)
    assert "97-2003（.xls）" in text and "另存为" in text and "台账.xls" in text


def test_password_protected_file_is_refused_with_how_to_remove_the_password(
        ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "加密.xlsx"
    path.write_bytes(CFB_MAGIC + b"\x00" * 2000 + "EncryptionInfo".encode("utf-16-le")
                     + b"\x00" * 2000)
    assert "打开密码" in refused(ledger, path)


@pytest.mark.parametrize(("content", "words"), [
    (b"", "空的"),
    ("序号,存在问题\n1,缺编\n".encode("gbk"), "不是 Excel 工作簿"),
    (b"<html><table><tr><td>1</td></tr></table></html>", "网页"),
])
def test_files_that_are_not_excel_say_so(ledger: Ledger, tmp_path: Path, content: bytes,
                                         words: str) -> None:
    path = tmp_path / "假的.xlsx"
    path.write_bytes(content)
    assert words in refused(ledger, path)


def test_a_word_document_is_not_taken_for_a_ledger(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    assert "Word 文档" in refused(ledger, path)


def test_a_missing_file_is_named(ledger: Ledger, tmp_path: Path) -> None:
    assert "不存在" in refused(ledger, tmp_path / "没有.xlsx")


def test_zip_bomb_is_refused_before_anything_is_unpacked(ledger: Ledger, tmp_path: Path) -> None:
    path = standard_book(tmp_path / "bomb.xlsx", two_problem_rows())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    assert "压缩炸弹" in refused(ledger, path)


def _with_dtd(path: Path, member: str, padding: int) -> None:
    bomb = ('<?xml version="1.0"?>' + "<!--" + " " * padding + "-->"
            + '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info).decode("utf-8")
            if info.filename == member:
                data = bomb + data.split("?>", 1)[-1]
                data = data.replace("XX县教育局", "&lol2;")
            dst.writestr(info, data.encode("utf-8"))
    tmp.replace(path)


@pytest.mark.parametrize("padding", [0, 100_000])
def test_xml_entity_bomb_is_refused(ledger: Ledger, tmp_path: Path, padding: int) -> None:
    # Without padding our own scan sees the DTD; behind 100 KB of comment, defusedxml (which
    # openpyxl uses when it is installed) refuses it while parsing.
    path = standard_book(tmp_path / "xml.xlsx", two_problem_rows())
    _with_dtd(path, "xl/worksheets/sheet1.xml", padding)
    assert "XML 炸弹" in refused(ledger, path)


def test_merged_cells_and_formula_text_are_read_in_one_pass(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    ws["A1"] = "标题"
    ws.merge_cells("A1:C1")
    ws["B3"] = "=SUM(A1:A2)"
    ws["C4"] = dt.datetime(2022, 12, 31)
    ws.merge_cells("B3:B5")
    wb.save(tmp_path / "m.xlsx")
    book = open_workbook(tmp_path / "m.xlsx")
    try:
        sheet = book.sheet("表")
    finally:
        book.close()
    assert sheet.rows[3] == (None, "=SUM(A1:A2)")
    assert sheet.rows[4] == (None, None, dt.datetime(2022, 12, 31))
    assert {(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged} == {
        (1, 1, 1, 3), (3, 2, 5, 2)}


def test_an_unknown_sheet_name_lists_the_sheets_there_are(ledger: Ledger, tmp_path: Path) -> None:
    path = standard_book(tmp_path / "s.xlsx", two_problem_rows())
    with pytest.raises(ImportRejected) as info:
        build_plan(ledger, path, ImportOptions(sheet="不存在"))
    assert "没有名为“不存在”的工作表" in info.value.message and "台账" in info.value.message


def test_a_workbook_without_any_ledger_header_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.save(tmp_path / "通讯录.xlsx")
    assert "没有找到台账" in refused(ledger, tmp_path / "通讯录.xlsx")
