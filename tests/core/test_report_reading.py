"""Report files -> text: encodings, .docx (made here with python-docx), and everything refused."""

from __future__ import annotations

import os
import random
import zipfile
from pathlib import Path

import docx
import docx.document
import pytest

from tracker.errors import ImportRejected
from tracker.report import parse_report_text, read_report_file
from tracker.report import docx_text as docx_module
from tracker.report import reading

REPORT = (
    "关于2021年度履行教育职责的自评报告\n\n"
    "三、存在问题\n\n"
    "（一）城区学位不足，大班额现象仍然存在。\n\n"
    "（二）乡村教师补充困难。\n\n"
    "四、整改措施\n\n"
    "（一）新建城区小学1所。\n\n"
    "（二）实施乡村教师定向培养。\n"
)


def _check(text: str) -> None:
    r = parse_report_text(text)
    assert [p.description for p in r.problems] == ["城区学位不足，大班额现象仍然存在。", "乡村教师补充困难。"]
    assert [[m.text for m in p.measures] for p in r.problems] == [["新建城区小学1所。"], ["实施乡村教师定向培养。"]]


# ---------------------------------------------------------------- text files


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"], ids=lambda e: e
)
def test_text_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "报告.txt"
    path.write_bytes(REPORT.encode(encoding))
    text = read_report_file(path)
    assert text.replace("\r\n", "\n") == REPORT
    _check(text)


def test_gbk_file_with_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(REPORT.replace("\n", "\r\n").encode("gbk"))
    _check(read_report_file(str(path)))


def test_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("## **三、存在问题**\n\n" + REPORT.split("三、存在问题\n\n", 1)[1], encoding="utf-8")
    _check(read_report_file(path))


def test_random_bytes_refused(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    with pytest.raises(ImportRejected) as err:
        read_report_file(path)
    assert "noise.txt" in err.value.message and "不是可识别的文本文件" in err.value.message


def test_binary_with_other_extension_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(ImportRejected):
        read_report_file(path)


def test_empty_and_blank_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ImportRejected, match="empty.txt.*空文件"):
        read_report_file(empty)
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\n\u3000\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="没有文字"):
        read_report_file(blank)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="找不到文件“nope.txt”"):
        read_report_file(tmp_path / "nope.txt")
    with pytest.raises(ImportRejected, match="不是文件"):
        read_report_file(tmp_path)


def test_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("问" * 1000, encoding="utf-8")
    with pytest.raises(ImportRejected, match="big.txt.*上限"):
        read_report_file(path)


def test_old_word_pdf_and_rtf_refused_with_advice(tmp_path: Path) -> None:
    doc = tmp_path / "报告.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ImportRejected) as err:
        read_report_file(doc)
    assert "报告.doc" in err.value.message
    assert "请在 Word 或 WPS 中另存为 .docx 后再导入" in err.value.message
    # An old Word file renamed to .txt is recognised by its signature.
    disguised = tmp_path / "renamed.txt"
    disguised.write_bytes(doc.read_bytes())
    with pytest.raises(ImportRejected, match="另存为 .docx"):
        read_report_file(disguised)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(ImportRejected, match="PDF"):
        read_report_file(pdf)
    rtf = tmp_path / "r.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi hello}")
    with pytest.raises(ImportRejected, match="RTF"):
        read_report_file(rtf)


# ---------------------------------------------------------------- docx


def _report_docx(path: Path) -> None:
    d = docx.Document()
    d.add_heading("2022年某县人民政府履行教育职责自评报告", 0)
    d.add_paragraph("根据《关于开展评价工作的通知》（某教督〔2022〕3号）要求，现将自评情况报告如下。")
    d.add_heading("一、工作成效", 1)
    d.add_paragraph("一是加强党的领导。二是加大教育投入。")
    d.add_heading("二、存在问题", 1)
    d.add_paragraph("教师队伍结构性缺编，音体美教师不足。", style="List Number")
    d.add_paragraph("食堂从业人员健康证管理不规范。", style="List Number")
    d.add_heading("三、整改措施", 1)
    d.add_paragraph("公开招聘音体美教师**名。", style="List Number")
    d.add_paragraph("开展食堂专项检查。", style="List Number")
    table = d.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("序号", "存在问题", "整改措施"), ("1", "校舍老旧", "维修校舍"), ("2", "", "")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    d.save(str(path))


def test_docx_paragraphs_headings_numbering_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "报告.docx"
    _report_docx(path)
    text = read_report_file(path)
    lines = text.split("\n")
    assert lines[0] == "# 2022年某县人民政府履行教育职责自评报告"
    assert "# 二、存在问题" in lines
    # Word's automatic list numbers are put back, so the parser sees the list.
    assert any(line.endswith("教师队伍结构性缺编，音体美教师不足。") and line[0].isdigit() for line in lines)
    assert "序号\t存在问题\t整改措施" in lines
    r = parse_report_text(text)
    assert r.title == "2022年某县人民政府履行教育职责自评报告"
    assert r.year == 2022 and r.doc_number == "某教督〔2022〕3号"
    assert [p.description for p in r.problems] == [
        "教师队伍结构性缺编，音体美教师不足。",
        "食堂从业人员健康证管理不规范。",
        "校舍老旧",
    ]
    assert [[m.text for m in p.measures] for p in r.problems] == [
        ["公开招聘音体美教师**名。"],
        ["开展食堂专项检查。"],
        ["维修校舍"],
    ]


def test_docx_without_numbering_typed_markers(tmp_path: Path) -> None:
    d = docx.Document()
    for line in REPORT.split("\n\n"):
        d.add_paragraph(line.strip())
    path = tmp_path / "plain.docx"
    d.save(str(path))
    _check(read_report_file(path))


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _use_chinese_list_numbers(d: docx.document.Document, style: str) -> None:
    """Make ``style``'s first list level read （一）（二）… as Chinese Word templates do."""
    num_id = d.styles[style].element.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
    root = d.part.numbering_part.element
    num = next(n for n in root.findall(f"{W}num") if n.get(f"{W}numId") == num_id)
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    abstract = next(a for a in root.findall(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id)
    lvl = next(lv for lv in abstract.findall(f"{W}lvl") if lv.get(f"{W}ilvl") == "0")
    lvl.find(f"{W}numFmt").set(f"{W}val", "chineseCounting")
    lvl.find(f"{W}lvlText").set(f"{W}val", "（%1）")


def test_docx_chinese_automatic_numbering(tmp_path: Path) -> None:
    d = docx.Document()
    _use_chinese_list_numbers(d, "List Number")
    d.add_paragraph("三、存在问题")
    d.add_paragraph("城区学位不足，大班额现象仍然存在。", style="List Number")
    d.add_paragraph("乡村教师补充困难。", style="List Number")
    path = tmp_path / "numbered.docx"
    d.save(str(path))
    text = read_report_file(path)
    assert "（一）城区学位不足，大班额现象仍然存在。" in text.split("\n")
    assert "（二）乡村教师补充困难。" in text.split("\n")
    r = parse_report_text(text)
    assert [p.description for p in r.problems] == ["城区学位不足，大班额现象仍然存在。", "乡村教师补充困难。"]


def test_chinese_number_formats() -> None:
    assert docx_module.format_number(1, "chineseCounting") == "一"
    assert docx_module.format_number(12, "chineseCountingThousand") == "十二"
    assert docx_module.format_number(21, "chineseCounting") == "二十一"
    assert docx_module.format_number(3, "decimalEnclosedCircle") == "③"
    assert docx_module.format_number(2, "decimalFullWidth") == "２"
    assert docx_module.format_number(4, "upperRoman") == "IV"
    assert docx_module.format_number(5, "decimal") == "5"


def _zip(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_zip_that_is_not_word_refused(tmp_path: Path) -> None:
    path = tmp_path / "book.docx"
    _zip(path, {"xl/workbook.xml": b"<workbook/>"})
    with pytest.raises(ImportRejected, match="book.docx.*不是 Word 文档"):
        read_report_file(path)


def test_corrupt_docx_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(300))
    with pytest.raises(ImportRejected, match="broken.docx"):
        read_report_file(path)
    half = tmp_path / "half.docx"
    _report_docx(half)
    half.write_bytes(half.read_bytes()[:2000])
    with pytest.raises(ImportRejected, match="half.docx"):
        read_report_file(half)


def test_zip_bomb_refused_before_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    # 80 MB of one repeated byte packs into ~80 KB.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        with z.open("word/document.xml", "w") as f:
            chunk = b"<" * (1024 * 1024)
            for _ in range(80):
                f.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(ImportRejected, match="bomb.docx.*过大"):
        read_report_file(path)


def test_xml_entity_bomb_refused(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "lol.docx"
    _zip(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": laughs})
    with pytest.raises(ImportRejected, match="lol.docx.*不安全"):
        read_report_file(path)
