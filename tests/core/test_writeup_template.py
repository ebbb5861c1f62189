"""A clerk's own Word template (docxtpl): the shipped sample fills to the same text as the
built-in 整改情况报告, keeps its layout, and a broken placeholder is one Chinese error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from resources import ROOT
from tracker.db.engine import Ledger
from tracker.errors import ValidationError
from tracker.writeup import ReportOptions, write_report
from tracker.writeup.sample_template import SAMPLE_NAME, write_sample_template

SHIPPED = ROOT / "templates" / SAMPLE_NAME


def _unnumbered(text: str) -> str:
    return re.sub(r"^[一二三四五六七八九十]+、", "", text)


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def test_shipped_sample_is_current(tmp_path: Path) -> None:
    """resources/templates holds what write_sample_template writes (regenerate when it fails)."""
    fresh = write_sample_template(tmp_path / "t.docx")
    assert _texts(fresh) == _texts(SHIPPED)


def test_sample_template_says_what_the_builtin_says(demo_ledger: Ledger, tmp_path: Path) -> None:
    options = ReportOptions(org="中卫市教育局")
    builtin = tmp_path / "builtin.docx"
    custom = tmp_path / "custom.docx"
    write_report(demo_ledger, options, builtin)
    data = write_report(demo_ledger, ReportOptions(org="中卫市教育局", template=str(SHIPPED)),
                        custom)
    got, want = _texts(custom), _texts(builtin)
    assert got[1].startswith(data.sentence)
    # The built-in numbers its 统计 and 下一步 chapters; the sample leaves that to the clerk.
    assert [_unnumbered(t) for t in got] == [_unnumbered(t) for t in want]
    doc = Document(str(custom))
    top = doc.sections[0].top_margin
    assert top is not None and round(top.mm) == 37
    rows = doc.tables[0].rows
    assert len(rows) == len(data.units) + 1
    assert [c.text for c in rows[1].cells][:3] == ["1", data.units[0].unit,
                                                  str(data.units[0].total)]


def test_broken_placeholder_is_a_chinese_error(ledger: Ledger, tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    doc = Document()
    doc.add_paragraph("{{ title ")
    doc.save(str(bad))
    with pytest.raises(ValidationError, match="占位符有误"):
        write_report(ledger, ReportOptions(template=str(bad)), tmp_path / "out.docx")
    with pytest.raises(ValidationError, match="找不到模板"):
        write_report(ledger, ReportOptions(template=str(tmp_path / "none.docx")),
                     tmp_path / "out.docx")


def test_period_names_reach_a_template(demo_ledger: Ledger, tmp_path: Path) -> None:
    """A 调度 template sees each kind of change and each unit's changes."""
    import datetime as dt

    from tests.conftest import TODAY

    src = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph("{{ since_sentence }}")
    doc.add_paragraph("{%p for k in period.kinds %}")
    doc.add_paragraph("{{ k.label }}{{ k.count }}个")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ period.units[0].unit }}新完成{{ period.units[0].changes.completed }}")
    doc.save(str(src))
    out = tmp_path / "o.docx"
    data = write_report(demo_ledger, ReportOptions(template=str(src),
                                                   since=TODAY - dt.timedelta(days=60)), out)
    assert data.period is not None
    got = _texts(out)
    assert got[0] == data.since_sentence
    assert got[1] == f"新完成整改{len(data.period.completed)}个"
    first = data.unit_periods[0]
    assert got[-1] == f"{first.unit}新完成{first.changes['completed']}"
