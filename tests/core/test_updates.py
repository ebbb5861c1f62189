"""The update check: IT's config file names a shared folder or an intranet URL; a newer
installer there is reported, nothing is downloaded, an unreachable location stays silent."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tracker import __version__, updates


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "软件 共享" / "整改台账"
    folder.mkdir(parents=True)
    return folder


def test_versions_compare_as_numbers() -> None:
    assert updates.parse_version("0.10.0") > updates.parse_version("0.9.9")
    assert updates.parse_version("0.2") == updates.parse_version("0.2.0")
    assert updates.parse_version("v1.2.3rc1") == (1, 2, 3)
    assert updates.parse_version("新版") == ()


def test_the_newest_installer_in_the_folder_is_found(share: Path) -> None:
    for name in ("rectify-setup-0.1.0.exe", "rectify-setup-0.10.0.exe", "rectify-setup-0.9.0.exe",
                 "readme.txt", "org.rectify.tracker_0.11.0_amd64.deb"):
        (share / name).write_bytes(b"")
    found = updates.check(str(share), current="0.1.0", kind="win")
    assert found is not None and found.version == "0.10.0"
    assert found.where == str(share / "rectify-setup-0.10.0.exe")
    deb = updates.check(str(share), current="0.1.0", kind="deb")
    assert deb is not None and deb.where.endswith("org.rectify.tracker_0.11.0_amd64.deb")


def test_nothing_newer_says_nothing(share: Path) -> None:
    (share / f"rectify-setup-{__version__}.exe").write_bytes(b"")
    (share / "rectify-setup-0.0.9.exe").write_bytes(b"")
    assert updates.check(str(share), kind="win") is None
    assert updates.check(str(share / "不存在"), kind="win") is None  # unreachable: silent
    assert updates.check("", kind="win") is None


def test_latest_json_in_a_folder_gives_the_notes(share: Path) -> None:
    (share / "latest.json").write_text(json.dumps(
        {"version": "9.0", "file": "rectify-setup-9.0.exe", "notes": "导出加了页码"},
        ensure_ascii=False), encoding="utf-8-sig")
    found = updates.check(str(share), current="0.1.0", kind="win")
    assert found == updates.Update("9.0", str(share / "rectify-setup-9.0.exe"), "导出加了页码")


def test_a_broken_latest_json_is_silent(share: Path) -> None:
    (share / "latest.json").write_text("{not json", encoding="utf-8")
    assert updates.check(str(share), current="0.1.0", kind="win") is None


def test_the_config_file_names_the_location(tmp_path: Path, share: Path) -> None:
    missing = tmp_path / "none.ini"
    empty = tmp_path / "empty.ini"
    empty.write_text("[update]\n", encoding="utf-8")
    ini = tmp_path / "update.ini"
    # As Notepad saves it: a BOM, Chinese in the path, quotes around it.
    ini.write_text(f'\ufeff[update]\nlocation = "{share}"\n', encoding="utf-8")
    assert updates.configured_location([missing, empty, ini]) == str(share)
    assert updates.configured_location([missing]) == ""


def test_the_environment_variable_points_at_the_config(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path, share: Path) -> None:
    ini = tmp_path / "it.ini"
    ini.write_text(f"[update]\nlocation = {share}\n", encoding="utf-8")
    monkeypatch.setenv(updates.ENV_CONFIG, str(ini))
    (share / "rectify-setup-99.0.exe").write_bytes(b"")
    assert updates.configured_location() == str(share)
    found = updates.check(current="0.1.0", kind="win")
    assert found is not None and found.version == "99.0"


@pytest.fixture
def intranet(share: Path) -> Iterator[str]:
    """A local HTTP server serving the share folder, as an intranet site would."""

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(share), **kwargs)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/rectify/"
    finally:
        server.shutdown()
        server.server_close()


def test_an_intranet_url_is_asked_for_latest_json_only(share: Path, intranet: str) -> None:
    (share / "rectify").mkdir()
    (share / "rectify" / "latest.json").write_text(json.dumps(
        {"version": "0.3.0", "file": "rectify-setup-0.3.0.exe",
         "deb": "org.rectify.tracker_0.3.0_amd64.deb"}), encoding="utf-8")
    found = updates.check(intranet, current="0.1.0", kind="win")
    assert found is not None and found.version == "0.3.0"
    assert found.where == intranet + "rectify-setup-0.3.0.exe"
    deb = updates.check(intranet, current="0.1.0", kind="deb")
    assert deb is not None and deb.where == intranet + "org.rectify.tracker_0.3.0_amd64.deb"
    assert updates.check(intranet, current="0.3.0", kind="win") is None


def test_an_intranet_without_latest_json_is_silent(intranet: str) -> None:
    assert updates.check(intranet, current="0.1.0", kind="win") is None  # 404
    assert updates.check("http://127.0.0.1:9/", current="0.1.0", kind="win") is None  # refused
