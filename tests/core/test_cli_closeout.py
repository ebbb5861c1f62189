"""The close-out cycle from the command line: attach and list evidence, 销号 refused without it,
退回, 延期 shown with the original deadline, 回头看, and the ledger's rules in `config`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.cli.main import main
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.services.problems import create_problem


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "台账.sqlite"
    led = open_ledger(path, user="测试员")
    create_problem(led, ProblemInput("食堂留样不规范", lead_unit="县教体局", measures=(
        MeasureInput("开展检查", deadline_text="2026-12-31", status=Status.DONE),
        MeasureInput("建立制度", deadline_text="2026-12-31", status=Status.IN_PROGRESS))))
    led.close()
    return path


def test_the_cycle_from_attach_to_recheck(capsys: pytest.CaptureFixture[str], db: Path,
                                          tmp_path: Path) -> None:
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    code, out, _ = _run(capsys, db, "attach", "1", str(photo), "--note", "整改后")
    assert code == 0 and "已上传 1 个佐证材料" in out and "现场照片.jpg" in out
    code, out, _ = _run(capsys, db, "evidence", "1", "--json")
    (item,) = json.loads(out)
    assert item["name"] == "现场照片.jpg" and item["note"] == "整改后" and item["size"] == 6
    code, out, _ = _run(capsys, db, "evidence", "1", "--export", str(tmp_path / "导出"))
    assert (tmp_path / "导出" / "现场照片.jpg").read_bytes() == photo.read_bytes()

    code, out, err = _run(capsys, db, "return", "1", "--reason", "照片不清楚")
    assert code == 0 and "已退回措施 1" in out
    code, out, err = _run(capsys, db, "return", "2", "--reason", "x")
    assert code == 1 and "只有“已完成”的措施可以退回" in err

    code, out, err = _run(capsys, db, "extend", "2", "--to", "2027年6月底前", "--reason",
                          "资金未到位", "--approved-by", "王局长")
    assert code == 0 and "已延期至2027年6月底前（原定2026-12-31）" in out
    code, out, _ = _run(capsys, db, "summary")
    assert "其中延期1项" in out
    code, out, _ = _run(capsys, db, "list", "--json")
    (problem,) = json.loads(out)
    assert [e["name"] for e in problem["evidence"]] == ["现场照片.jpg"]
    extended = problem["measures"][1]
    assert extended["original_deadline"] == "2026-12-31"
    assert extended["extensions"] == [{"from": "2026-12-31", "to": "2027年6月底前",
                                       "reason": "资金未到位", "approved_by": "王局长",
                                       "on": "2026-11-23"}]
    code, out, _ = _run(capsys, db, "show", "1", "--json")
    assert json.loads(out) == problem

    code, out, err = _run(capsys, db, "recheck", "1", "--result", "合格")
    assert code == 1 and "只有已销号的问题才需要回头看" in err


def test_config_lists_and_changes_the_rules(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = _run(capsys, db, "config")
    assert code == 0 and "closeout.needs_evidence" in out and "是" in out
    code, out, _ = _run(capsys, db, "config", "closeout.needs_evidence", "否")
    assert code == 0 and "否" in out
    code, _, err = _run(capsys, db, "config", "recheck.months", "abc")
    assert code == 1 and "应为整数" in err
    code, _, err = _run(capsys, db, "config", "no.such", "1")
    assert code == 1 and "没有名为“no.such”的设置" in err


def test_attaching_a_missing_file_changes_nothing(capsys: pytest.CaptureFixture[str], db: Path,
                                                  tmp_path: Path) -> None:
    code, _, err = _run(capsys, db, "attach", "1", str(tmp_path / "没有.pdf"))
    assert code == 1 and "找不到文件" in err and "Traceback" not in err
    code, out, _ = _run(capsys, db, "evidence", "1")
    assert "还没有佐证材料" in out


def test_closeout_forms_from_the_command_line(capsys: pytest.CaptureFixture[str], db: Path,
                                              tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "销号单.xlsx"
    code, text, err = _run(capsys, db, "closeout-form", "1", str(out), "--org", "县督导室")
    assert code == 0 and "已生成 1 张整改销号单" in text, err
    assert load_workbook(out).worksheets[0]["A1"].value == "整改销号单"
    code, _, err = _run(capsys, db, "closeout-form", "1", "9", str(out))
    assert code == 1 and "不存在" in err


def test_one_folder_per_problem_in_the_archive(capsys: pytest.CaptureFixture[str], db: Path,
                                               tmp_path: Path) -> None:
    import io
    import zipfile

    from openpyxl import load_workbook

    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    _run(capsys, db, "attach", "1", str(photo), str(photo))
    out = tmp_path / "档案.zip"
    code, text, err = _run(capsys, db, "archive", str(out))
    assert code == 0 and "已导出 1 个问题的档案（佐证材料 2 个）" in text, err
    with zipfile.ZipFile(out) as zf:
        names = sorted(zf.namelist())
        assert names == ["1-食堂留样不规范/佐证材料/现场照片(2).jpg",
                         "1-食堂留样不规范/佐证材料/现场照片.jpg",
                         "1-食堂留样不规范/修改记录.xlsx", "1-食堂留样不规范/整改销号单.xlsx"]
        assert zf.read("1-食堂留样不规范/佐证材料/现场照片.jpg") == photo.read_bytes()
        history = load_workbook(io.BytesIO(zf.read("1-食堂留样不规范/修改记录.xlsx"))).active
        lines = [r[2] for r in history.iter_rows(min_row=2, values_only=True)]
        assert any("新增佐证材料" in str(x) for x in lines)
    code, _, err = _run(capsys, db, "archive", str(tmp_path / "空.zip"), "--status", "已销号")
    assert code == 1 and "没有符合条件的问题" in err and not (tmp_path / "空.zip").exists()
