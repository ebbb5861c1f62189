"""材料包: `export --package` writes the ledger, an empty folder per problem and 说明.txt; the
unit's returned zip applies its ledger as a returned ledger and attaches each folder's files to
its problem (listed in the dry run), in one transaction, never twice the same content."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tracker.cli.main import main
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.errors import ConflictError, ImportRejected
from tracker.excel.package import EVIDENCE_DIR, README, write_package
from tracker.excel.package_plan import plan_package
from tracker.services.closeout_settings import set_closeout_setting
from tracker.services.evidence import attach_bytes, list_evidence
from tracker.services.history import list_history
from tracker.services.imports import apply_plan
from tracker.services.problems import create_problem
from tracker.services.queries import get_problem

PDF = b"%PDF-1.4 report of the canteen"
PHOTO = b"\xff\xd8\xff\xe0 photo of the kitchen"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "台账.sqlite"
    led = open_ledger(path, user="测试员")
    create_problem(led, ProblemInput("学校食堂留样记录不规范，部分学校未按要求留样", lead_unit="县教体局",
                                     measures=(MeasureInput("开展食品安全专项检查",
                                                            deadline_text="2026-12-31"),)))
    create_problem(led, ProblemInput("CON", lead_unit="县卫健委", measures=(
        MeasureInput("完善制度", deadline_text="2026-12-31"),)))
    create_problem(led, ProblemInput("..\\..\\校舍:维修*滞后?", lead_unit="县教体局", measures=(
        MeasureInput("拨付资金", deadline_text="2026-12-31"),)))
    led.close()
    return path


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def returned_package(package: Path, out: Path, files: dict[str, bytes], status: str = "",
              wrap: str = "") -> Path:
    """The unit's zip: the ledger filled in (first measure's 完成情况), files added, zipped
    again (optionally inside one folder, as zipping the unpacked folder does)."""
    with zipfile.ZipFile(package) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    book = next(n for n in members if n.endswith(".xlsx"))
    if status:
        wb = load_workbook(io.BytesIO(members[book]))
        ws = wb["台账"]
        head = next(r for r in ws.iter_rows(max_row=6) if any(c.value == "完成情况" for c in r))
        col = next(c.column for c in head if c.value == "完成情况")
        ws.cell(head[0].row + 1, col).value = status
        buf = io.BytesIO()
        wb.save(buf)
        members[book] = buf.getvalue()
    members.update(files)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(wrap + name, data)
    return out


def _folders(package: Path) -> list[str]:
    with zipfile.ZipFile(package) as zf:
        return sorted(n for n in zf.namelist() if n.endswith("/"))


def test_the_package_holds_the_ledger_a_folder_per_problem_and_the_notice(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    code, out, _ = _run(capsys, db, "export", "--package", str(tmp_path / "教体局.zip"),
                        "--org", "县教育督导室")
    assert code == 0 and "已导出材料包" in out
    package = tmp_path / "教体局.zip"
    with zipfile.ZipFile(package) as zf:
        names = zf.namelist()
        readme = zf.read(README).decode("utf-8-sig")
    assert "教体局.xlsx" in names
    folders = _folders(package)
    # Cleaned for Windows, and still starting with the 编号 the import matches them by.
    assert folders == [f"{EVIDENCE_DIR}/1-学校食堂留样记录不规范，部分学校/",
                       f"{EVIDENCE_DIR}/2-CON/", f"{EVIDENCE_DIR}/3-.._.._校舍_维修_滞后_/"]
    assert "文件夹名开头的数字是问题编号" in readme and "报送县教育督导室" in readme
    assert "\r\n" in readme


def test_a_returned_package_updates_the_ledger_and_attaches_each_folders_files(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    package = tmp_path / "教体局.zip"
    _run(capsys, db, "export", "--package", str(package))
    first = next(f for f in _folders(package) if f.startswith(f"{EVIDENCE_DIR}/1-"))
    returned = returned_package(package, tmp_path / "交回.zip", {
        first + "整改报告.pdf": PDF, first + "照片/厨房.jpg": PHOTO,
        f"{EVIDENCE_DIR}/食堂材料/说明.docx": b"no number",
        f"{EVIDENCE_DIR}/999-不存在/a.pdf": b"nobody's",
        "其他.txt": b"loose", f"{EVIDENCE_DIR}/{'1-x'}/Thumbs.db": b"junk",
    }, status="已完成", wrap="教体局交回/")

    code, out, _ = _run(capsys, db, "import-excel", str(returned), "--dry-run")
    assert code == 0, out
    assert "问题1（文件夹“1-学校食堂" in out and "将上传 2 个：整改报告.pdf" in out and "厨房.jpg" in out
    assert "“食堂材料”：文件夹名开头没有问题编号" in out
    assert "“999-不存在”：台账中没有编号为 999 的问题" in out
    assert "“其他.txt”：不在问题文件夹中" in out and "Thumbs.db" not in out
    assert "问题1 措施1）\n  完成情况：“未启动” → “已完成”" in out
    led = open_ledger(db)
    try:
        assert list_evidence(led, 1) == []  # the dry run wrote nothing
    finally:
        led.close()

    code, out, _ = _run(capsys, db, "import-excel", str(returned))
    assert code == 0 and "上传佐证材料 2 个" in out
    led = open_ledger(db)
    try:
        files = {e.name: e for e in list_evidence(led, 1)}
        assert set(files) == {"整改报告.pdf", "厨房.jpg"}
        assert files["整改报告.pdf"].note == "随材料包“交回.zip”报送"
        assert get_problem(led, 1).measures[0].status is Status.DONE
        created = [c for c in list_history(led, problem_id=1)
                   if c.entity == "evidence" and c.action == "create"]
        assert len(created) == 2
    finally:
        led.close()

    # The same package again: the ledger has it already, and so has the problem its files.
    code, out, _ = _run(capsys, db, "import-excel", str(returned), "--dry-run")
    assert "与已有的“整改报告.pdf”内容相同，不再上传" in out and "将上传 0 个佐证材料" in out


def test_identical_files_are_attached_once(db: Path, tmp_path: Path) -> None:
    led = open_ledger(db, user="测试员")
    try:
        attach_bytes(led, 1, [("旧名字.pdf", PDF)])
        package = write_package(led, tmp_path / "包.zip").path
        first = next(f for f in _folders(package) if f.startswith(f"{EVIDENCE_DIR}/1-"))
        returned = returned_package(package, tmp_path / "交回.zip", {
            first + "整改报告.pdf": PDF, first + "照片.jpg": PHOTO, first + "照片副本.jpg": PHOTO})
        planned = plan_package(led, returned, tmp_path)
        assert [(f.name, f.same_as) for f in planned.files] == [
            ("整改报告.pdf", "旧名字.pdf"), ("照片.jpg", ""), ("照片副本.jpg", "照片.jpg")]
        result = apply_plan(led, planned.plan, attachments=planned.pending())
        assert result.evidence_attached == 1
        assert sorted(e.name for e in list_evidence(led, 1)) == ["旧名字.pdf", "照片.jpg"]
    finally:
        led.close()


def test_the_ledger_and_the_files_land_together_or_not_at_all(db: Path, tmp_path: Path) -> None:
    led = open_ledger(db, user="测试员")
    try:
        package = write_package(led, tmp_path / "包.zip").path
        first = next(f for f in _folders(package) if f.startswith(f"{EVIDENCE_DIR}/1-"))
        returned = returned_package(package, tmp_path / "交回.zip", {first + "整改报告.pdf": PDF},
                             status="已完成")
        planned = plan_package(led, returned, tmp_path)
        assert planned.plan.updates and len(planned.new_files) == 1
        # The zip is replaced between the check and the import: its file is not what was checked.
        returned_package(package, returned, {first + "整改报告.pdf": b"%PDF other"}, status="已完成")
        with pytest.raises(ConflictError):
            apply_plan(led, planned.plan, attachments=planned.pending())
        assert get_problem(led, 1).measures[0].status is not Status.DONE
        assert list_evidence(led, 1) == []
    finally:
        led.close()


def test_a_file_past_the_evidence_limit_refuses_the_package(db: Path, tmp_path: Path) -> None:
    led = open_ledger(db, user="测试员")
    try:
        set_closeout_setting(led, "evidence.max_mb", "1")
        package = write_package(led, tmp_path / "包.zip").path
        first = next(f for f in _folders(package) if f.startswith(f"{EVIDENCE_DIR}/1-"))
        big = bytes(range(256)) * (6 * 1024)  # 1.5 MB
        returned = returned_package(package, tmp_path / "交回.zip", {first + "录像.mp4": big})
        with pytest.raises(ImportRejected) as caught:
            plan_package(led, returned, tmp_path)
        assert "交回.zip" in caught.value.message and "录像.mp4" in caught.value.message
    finally:
        led.close()


def test_a_package_without_one_ledger_is_refused(db: Path, tmp_path: Path) -> None:
    led = open_ledger(db, user="测试员")
    try:
        path = tmp_path / "只有材料.zip"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(f"{EVIDENCE_DIR}/1-x/a.pdf", PDF)
        with pytest.raises(ImportRejected) as caught:
            plan_package(led, path, tmp_path)
        assert "没有找到" in caught.value.message and "只有材料.zip" in caught.value.message
    finally:
        led.close()


def test_a_package_moved_away_before_the_import_leaves_the_ledger_as_it_was(
        db: Path, tmp_path: Path) -> None:
    led = open_ledger(db, user="测试员")
    try:
        package = write_package(led, tmp_path / "包.zip").path
        first = next(f for f in _folders(package) if f.startswith(f"{EVIDENCE_DIR}/1-"))
        returned = returned_package(package, tmp_path / "交回.zip", {first + "整改报告.pdf": PDF},
                                    status="已完成")
        planned = plan_package(led, returned, tmp_path)
        returned.unlink()
        with pytest.raises(ImportRejected) as caught:
            apply_plan(led, planned.plan, attachments=planned.pending())
        assert "交回.zip" in caught.value.message and "没有导入任何内容" in caught.value.message
        assert get_problem(led, 1).measures[0].status is not Status.DONE
        assert list_evidence(led, 1) == []
    finally:
        led.close()


def test_a_folder_name_cut_mid_sentence_does_not_end_in_punctuation() -> None:
    from tracker.excel.archive import folder_name

    # The first 16 characters end at the comma: the folder is named without it.
    assert folder_name(1, "责任督学挂牌督导作用发挥不充分，督导问题整改跟踪不及时", set()) == \
        "1-责任督学挂牌督导作用发挥不充分"
