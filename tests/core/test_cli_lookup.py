"""Issue 12 items 3, 4, 5 and 7: every id a script needs without --json (show, units,
sources, categories, list's 编号, history's problem), close-out from the command line, names
matched the same way everywhere, and a 催办单 with nothing to chase."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.core.test_export_fixtures import SmallBook, build_small
from tracker.cli import safety_cmds
from tracker.cli.main import main
from tracker.db.engine import open_ledger
from tracker.services.lookup import normal_name, suggestions
from tracker.services.reference import save_unit, set_setting


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, SmallBook]:
    path = tmp_path / "台账.sqlite"
    led = open_ledger(path)
    small = build_small(led)
    led.close()
    return path, small


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def test_show_prints_ids_measures_notes_and_matches_list_json(
        book: tuple[Path, SmallBook], capsys: pytest.CaptureFixture[str]) -> None:
    db, small = book
    p = small.places
    assert run(db, "show", str(p.id)) == 0
    text = capsys.readouterr().out
    assert f"问题编号：{p.id}（序号 {p.seq}）" in text
    assert "问题来源：2021年履行教育职责评价反馈问题（编号" in text and "宁政教督办〔2022〕8号" in text
    for m in p.measures:
        assert f"措施编号 {m.id}：{m.text}" in text
    assert "进展 2026-11-01：主体工程开工" in text and "销号：未销号" in text
    assert run(db, "show", str(p.id), "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert run(db, "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert shown == next(x for x in listed if x["id"] == p.id)


def test_list_shows_the_id_and_whole_source_names(
        book: tuple[Path, SmallBook], capsys: pytest.CaptureFixture[str]) -> None:
    db, small = book
    assert run(db, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["编号", "序号", "问题来源"]
    first = lines[2].split()
    assert first[0] == str(small.places.id) and first[2] == "2021年履行教育职责评价反馈问题"
    # What list shows can be given back to --source.
    assert run(db, "list", "--source", first[2], "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_units_sources_and_categories_list_ids_and_counts(
        book: tuple[Path, SmallBook], capsys: pytest.CaptureFixture[str]) -> None:
    db, small = book
    assert run(db, "units", "--json") == 0
    units = {u["name"]: u for u in json.loads(capsys.readouterr().out)}
    assert units["市教育局"]["problems"] == 2 and units["沙坡头区政府"]["problems"] == 1
    assert run(db, "units") == 0
    text = capsys.readouterr().out
    assert f"{units['市教育局']['id']}" in text and "市教育局" in text and "共" in text
    assert run(db, "sources", "--json") == 0
    (source,) = json.loads(capsys.readouterr().out)
    assert source["id"] == small.places.source_id and source["problems"] == 3
    assert source["doc_number"] == "宁政教督办〔2022〕8号"
    assert run(db, "sources") == 0
    assert "宁政教督办〔2022〕8号" in capsys.readouterr().out
    assert run(db, "categories", "--json") == 0
    cats = {c["name"]: c["problems"] for c in json.loads(capsys.readouterr().out)}
    assert cats["学校布局与学位"] == 1 and cats["食堂与食品安全"] == 1


def test_names_match_across_spaces_and_full_width(
        book: tuple[Path, SmallBook], capsys: pytest.CaptureFixture[str]) -> None:
    db, small = book
    assert normal_name(" 市 教育局　") == normal_name("市教育局")
    assert normal_name("ＡＢ（１）") == normal_name("AB(1)")
    assert suggestions("教育局", ["市教育局", "市财政局", "沙坡头区政府"])[0] == "市教育局"
    assert run(db, "list", "--unit", " 市 教育局　", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert run(db, "summary", "--unit", "市教育局 ") == 0
    assert capsys.readouterr().out.startswith("截至")
    assert run(db, "list", "--source", str(small.places.source_id), "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    for args in (["list", "--unit", "教育局"], ["summary", "--unit", "教育局"],
                 ["export", str(db.parent / "x.xlsx"), "--unit", "教育局"],
                 ["remind", str(db.parent / "y.xlsx"), "--unit", "教育局"]):
        assert run(db, *args) == 1
        err = capsys.readouterr().err
        assert err.startswith("rectify: 台账中没有单位“教育局”。是否指：市教育局")
        assert len(err.splitlines()) == 1
    assert not (db.parent / "x.xlsx").exists() and not (db.parent / "y.xlsx").exists()


def test_close_refuses_open_measures_and_closes_a_finished_problem(
        book: tuple[Path, SmallBook], capsys: pytest.CaptureFixture[str]) -> None:
    db, small = book
    p = small.places
    led = open_ledger(db)
    set_setting(led, "closeout.needs_evidence", "否")  # evidence is another test's subject
    led.close()
    assert run(db, "close", str(p.id), "--verifier", "张三") == 1
    assert "项措施未完成，不能销号" in capsys.readouterr().err
    for m in p.measures:
        if m.status.is_open:
            assert run(db, "update", str(m.id), "--status", "已完成",
                       "--date", "2026-11-20") == 0
    capsys.readouterr()
    assert run(db, "close", str(p.id), "--verifier", "张三", "--date", "2026年11月23日",
               "--note", "现场核验") == 0
    assert f"已销号：问题 {p.id}" in capsys.readouterr().out
    assert run(db, "show", str(p.id), "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "closed" and shown["verifier"] == "张三"
    assert shown["closed_on"] == "2026-11-23"
    assert run(db, "history", "--problem", str(p.id)) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:4] == ["时间", "用户", "问题", "修改内容"]
    assert all(f" {p.id} 城区学位紧张" in line for line in table[2:-1])


def test_remind_with_nothing_open_writes_no_file(
        book: tuple[Path, SmallBook], capsys: pytest.CaptureFixture[str]) -> None:
    db, small = book
    target = db.parent / "催办单.xlsx"
    led = open_ledger(db)
    save_unit(led, None, "市体育局")  # leads nothing: nothing to chase
    led.close()
    assert run(db, "remind", str(target), "--unit", "市体育局") == 0
    assert "不需要催办，没有生成文件" in capsys.readouterr().out
    assert not target.exists()


def test_restore_onto_a_read_only_ledger_refuses_and_leaves_nothing(
        book: tuple[Path, SmallBook], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = book
    copy = db.parent / "备份.sqlite"
    assert run(db, "backup", str(copy)) == 0
    before = sorted(p.name for p in db.parent.rglob("*"))
    # Root ignores file permissions: the read-only ledger is what os.access reports.
    monkeypatch.setattr(safety_cmds.os, "access", lambda path, mode: mode != os.W_OK)
    assert run(db, "restore", str(copy)) == 1
    assert "只读" in capsys.readouterr().err
    assert sorted(p.name for p in db.parent.rglob("*")) == before
