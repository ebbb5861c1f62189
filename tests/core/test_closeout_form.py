"""整改销号单: one A4 portrait sheet per problem with its source, measures and their completion,
evidence, the verifier's opinion and the signature lines; user text never becomes a formula."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.core.closeout_helpers import with_evidence
from tracker.cli.main import main
from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.errors import NotFoundError, ValidationError
from tracker.excel.closeout_form import export_closeout_forms
from tracker.excel.export_options import ExportOptions
from tracker.excel.office_pdf import ENV, find_soffice
from tracker.services.problems import close_out, create_problem


def _closed(ledger: Ledger) -> int:
    pid = create_problem(ledger, ProblemInput(
        "学校食堂留样记录不规范", lead_unit="县教体局", owner="王建国", goal="=留样100%",
        measures=(MeasureInput("开展食品安全专项检查", deadline_text="2026年10月底前",
                               status=Status.DONE),
                  MeasureInput("建立留样台账", deadline_text="长期坚持", status=Status.ONGOING)))).id
    with_evidence(ledger, pid, "检查通报.pdf")
    close_out(ledger, pid, "督导室 李明", clock.today(), "经现场核查，留样规范，同意销号。")
    return pid


def _texts(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_one_form_per_problem_with_everything_to_sign(ledger: Ledger, tmp_path: Path) -> None:
    first = _closed(ledger)
    second = create_problem(ledger, ProblemInput("校舍维修滞后", measures=(
        MeasureInput("拨付维修资金", deadline_text="2027年6月底前"),))).id
    path = tmp_path / "销号单.xlsx"
    n = export_closeout_forms(ledger, [first, second], path, ExportOptions(org="XX县教育督导室"))
    assert n == 2
    wb = load_workbook(path)
    assert len(wb.sheetnames) == 2
    ws = wb.worksheets[0]
    texts = _texts(ws)
    assert texts[0] == "整改销号单"
    for words in ("学校食堂留样记录不规范", "检查通报.pdf", "督导室 李明",
                  "经现场核查，留样规范，同意销号。", "责任单位负责人（签字）", "填报单位：XX县教育督导室"):
        assert any(words in t for t in texts), words
    assert any("1．开展食品安全专项检查（已销号" in t for t in texts)
    assert "=留样100%" in texts  # user text stays text
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == 9
    assert any("（未上传佐证材料）" in t for t in _texts(wb.worksheets[1]))


def test_unknown_problems_and_wrong_suffix_are_refused(ledger: Ledger, tmp_path: Path) -> None:
    pid = _closed(ledger)
    with pytest.raises(NotFoundError):
        export_closeout_forms(ledger, [pid, 999], tmp_path / "a.xlsx")
    with pytest.raises(ValidationError):
        export_closeout_forms(ledger, [pid], tmp_path / "a.docx")
    assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "a.docx").exists()


@pytest.mark.skipif(not (shutil.which("libreoffice") and shutil.which("pdfinfo")),
                    reason="needs libreoffice and poppler-utils")
def test_each_form_prints_on_one_page(ledger: Ledger, tmp_path: Path) -> None:
    ids = [_closed(ledger) for _ in range(3)]
    path = tmp_path / "销号单.xlsx"
    export_closeout_forms(ledger, ids, path)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["libreoffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=240)
    info = subprocess.run(["pdfinfo", str(path.with_suffix(".pdf"))], check=True,
                          capture_output=True, text=True).stdout
    pages = next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))
    assert pages == 3


@pytest.mark.slow
@pytest.mark.skipif(find_soffice() is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice and poppler-utils")
def test_the_cli_writes_a_pdf_with_one_page_per_problem(
        ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = [_closed(ledger) for _ in range(2)]
    ids.append(create_problem(ledger, ProblemInput("校舍维修滞后", measures=(
        MeasureInput("拨付维修资金", deadline_text="2027年6月底前"),))).id)
    out = tmp_path / "销号单.pdf"
    code = main(["--db", str(ledger.path), "closeout-form", *map(str, ids), str(out)])
    assert code == 0 and f"已生成 3 张整改销号单：{out}" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert next(int(line.split()[-1]) for line in info.splitlines()
                if line.startswith("Pages:")) == 3
    pages = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    assert "学校食堂留样记录不规范" in pages[0] and "同意销号" in pages[0]
    assert "校舍维修滞后" in pages[2] and "学校食堂" not in pages[2]
    assert list(tmp_path.glob("*.part")) == []


def test_without_libreoffice_the_pdf_is_refused_with_a_hint(
        ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid = _closed(ledger)
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine with no LibreOffice on it
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(ValidationError) as caught:
        export_closeout_forms(ledger, [pid], tmp_path / "销号单.pdf")
    assert "没有找到 LibreOffice" in caught.value.message and ".xlsx" in caught.value.message
    assert not (tmp_path / "销号单.pdf").exists()
