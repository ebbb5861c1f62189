"""The packaging files agree with the code: every Qt module the UI imports is bundled, the
console-less Windows entry point exists, and the .deb layout is what UOS / Kylin expect."""

from __future__ import annotations

import ast
import importlib.util
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _spec_qt_modules() -> set[str]:
    tree = ast.parse((ROOT / "packaging" / "rectify.spec").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "QT_USED"):
            return set(ast.literal_eval(node.value))
    raise AssertionError("QT_USED not found in rectify.spec")


def _qt_modules_imported() -> set[str]:
    used = set()
    for path in list((ROOT / "ui").rglob("*.py")) + [ROOT / "packaging" / "entry.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            used |= {n.split(".")[1] for n in names if n.startswith("PySide6.")}
    return used


def test_every_qt_module_the_ui_imports_is_bundled() -> None:
    # The spec excludes every other PySide6 module by name: one imported later must be added.
    assert _qt_modules_imported() <= _spec_qt_modules()


def test_the_window_has_a_console_less_entry_point() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["gui-scripts"]["rectify-window"] == project["scripts"]["rectify"]
    module, _, func = project["gui-scripts"]["rectify-window"].partition(":")
    assert importlib.util.find_spec(module) is not None and func == "main"


def test_the_desktop_entry_points_into_opt_apps() -> None:
    spec = importlib.util.spec_from_file_location("build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    text = build.DESKTOP.format(name_en="x", name_zh="整改台账", description="d", appid=build.APPID)
    assert f"Exec=/opt/apps/{build.APPID}/files/rectify" in text
    assert "Name[zh_CN]=整改台账" in text and "Terminal=false" in text


def test_the_windows_installer_needs_no_administrator() -> None:
    iss = (ROOT / "packaging" / "windows" / "rectify.iss").read_text(encoding="utf-8-sig")
    assert "PrivilegesRequired=lowest" in iss
    assert "{autoprograms}" in iss  # the Start-menu entry
    assert "rectify-window.exe" in iss  # the GUI-subsystem executable: no console
