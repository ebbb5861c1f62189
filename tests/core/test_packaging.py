"""The packaging files agree with the code: every Qt module the UI imports is bundled, none
the spec leaves out is imported, the console-less Windows entry point exists, the .deb layout
is what UOS / Kylin expect, and CI runs the packaged smoke test with the tools it needs."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _spec_list(name: str) -> list[str]:
    tree = ast.parse((ROOT / "packaging" / "rectify.spec").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == name):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{name} not found in rectify.spec")


def _spec_qt_modules() -> set[str]:
    return set(_spec_list("QT_USED"))


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


def test_packages_left_out_of_the_bundle_are_never_imported() -> None:
    # The spec excludes them to analyse 400 modules less; an import of one would fail only
    # in the packaged app. rich's progress bar (the CLI's, on a terminal) must not need them.
    left_out = _spec_list("NEVER_IMPORTED")
    assert "pygments" in left_out
    for path in [*(ROOT / "tracker").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            assert not [n for n in names if n.split(".")[0] in left_out], path
    code = """
import io, sys
import tracker.cli.main
from tracker.cli.console import CliProgress

class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True

out = Terminal()
with CliProgress("导入", out) as progress:
    progress(3, 10, "第3行")
assert out.getvalue(), "no progress bar drawn"
print(",".join(m for m in sys.modules if m.split(".")[0] in sys.argv[1].split(",")))
"""
    done = subprocess.run([sys.executable, "-c", code, ",".join(left_out)], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == ""


def test_ci_runs_the_packaged_smoke_test_with_the_tools_it_needs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index('bash -c "$cmd"') < ci.index("packaging/test-deb.sh")
    assert ".venv/bin/pip install -q -e '.[package]'" in ci
    listed = set((ROOT / "resources" / "debian-packages.txt").read_text().split())
    script = (ROOT / "packaging" / "test-deb.sh").read_text(encoding="utf-8")
    build = (ROOT / "packaging" / "build.py").read_text(encoding="utf-8")
    # command the smoke test or the build runs -> the Debian package that has it
    needed = {"xvfb-run": "xvfb", "xwininfo": "x11-utils", "import -window": "imagemagick",
              "| bc": "bc", '"objdump"': "binutils"}
    for command, package in needed.items():
        assert command in script + build, command
        assert package in listed, package
    assert "xauth" in listed  # xvfb-run's, only recommended by xvfb (CI installs no recommends)
