"""Build the frozen app (PyInstaller, one folder) and its installer on the machine it targets.

    python packaging/build.py                      # the app folder only, into ./dist (git-ignored)
    python packaging/build.py --dist /tmp/p --deb  # plus the .deb for UOS / Kylin (Linux)
    python packaging/build.py --installer          # plus the Inno Setup installer (Windows)

Needs `pip install -e .[package]` (PyInstaller) in the interpreter that runs it; the .deb needs
dpkg-deb, the Windows installer Inno Setup 6's ISCC.exe. See packaging/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "rectify.spec"
SVG = ROOT / "resources" / "icons" / "rectify.svg"
ISS = PACKAGING / "windows" / "rectify.iss"
APPID = "org.rectify.tracker"  # UOS / Kylin store id: reverse domain, also the .deb's name
NAME_ZH = "整改台账"
NAME_EN = "Rectify Ledger"
DESCRIPTION = "教育督导反馈问题整改的登记、跟踪、统计、打印与导出"
GLIBC_RE = re.compile(rb"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?")
# dpkg-deb's compression of the .deb. xz -3 for what clerks download (56 MiB; the default -6
# had not finished after 3 minutes here on 2 busy cores); gzip -1 for the smoke test, which
# unpacks the package and throws it away: measured on 2 shared cores (load 5-10), xz -3 took
# 69 s of CPU (3 min 17 s wall) and gzip -1 2.3 s (8 s wall), for 74 MiB instead of 56.
COMPRESSION = {"xz": ["-Zxz", "-z3"], "gzip": ["-Zgzip", "-z1"]}


def version() -> str:
    """The project version from pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def make_ico(out: Path) -> Path:
    """Render the SVG icon into a multi-size .ico with Qt (Windows executables and installer)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication, QIcon

    _app = QGuiApplication.instance() or QGuiApplication(["build"])  # noqa: F841 (needed alive)
    pixmap = QIcon(str(SVG)).pixmap(QSize(256, 256))
    if pixmap.isNull() or not pixmap.save(str(out), "ICO"):
        raise SystemExit(f"could not write {out} (Qt's svg/ico image plugins missing?)")
    return out


def freeze(dist: Path, work: Path) -> Path:
    """Run PyInstaller on rectify.spec; the app folder (dist/rectify)."""
    env = dict(os.environ, RECTIFY_ROOT=str(ROOT))
    if sys.platform == "win32":
        env["RECTIFY_ICO"] = str(make_ico(work / "rectify.ico"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
                   check=True, env=env, cwd=ROOT)
    app = dist / "rectify"
    print(f"built {app} in {time.monotonic() - started:.0f} s, {folder_size(app) / 2**20:.1f} MiB")
    return app


def folder_size(folder: Path) -> int:
    """Bytes in the files under ``folder`` (symlinks not followed)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _elf_files(folder: Path) -> list[Path]:
    out = []
    for p in folder.rglob("*"):
        if p.is_file() and not p.is_symlink():
            with open(p, "rb") as f:
                if f.read(4) == b"\x7fELF":
                    out.append(p)
    return out


def glibc_needed(folder: Path) -> str:
    """The newest GLIBC_x.y symbol version any ELF file in the bundle asks for (objdump -T)."""
    best: tuple[int, ...] = (0,)
    for path in _elf_files(folder):
        result = subprocess.run(["objdump", "-T", str(path)], capture_output=True, check=False)
        for match in GLIBC_RE.finditer(result.stdout):
            best = max(best, tuple(int(g) for g in match.groups() if g is not None))
    return ".".join(str(n) for n in best)


def system_libraries(folder: Path) -> set[str]:
    """Shared libraries the bundle needs (DT_NEEDED) but does not carry: the system's."""
    carried = {p.name for p in folder.rglob("*.so*")}
    needed: set[str] = set()
    for path in _elf_files(folder):
        result = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True,
                                check=False)
        for line in result.stdout.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "NEEDED":
                needed.add(parts[1])
    return {n for n in needed - carried if not n.startswith(("ld-linux", "libQt6"))}


def debian_packages(libraries: set[str]) -> list[str]:
    """The Debian packages that ship ``libraries`` here (dpkg -S); glibc's are left to libc6."""
    packages: set[str] = set()
    for lib in sorted(libraries):
        result = subprocess.run(["dpkg", "-S", f"*/{lib}"], capture_output=True, text=True,
                                check=False)
        for line in result.stdout.splitlines()[:1]:
            packages.add(line.split(":", 1)[0].strip())
    packages.discard("libc6")
    return sorted(packages)


# Qt's xcb platform plugin loads these with dlopen, so no DT_NEEDED names them (list from Qt's
# "Qt for X11 Requirements" and resources/debian-packages.txt); a minimal desktop may lack one.
XCB_RUNTIME = ["libxcb-cursor0", "libxkbcommon-x11-0", "libxcb-icccm4", "libxcb-image0",
               "libxcb-keysyms1", "libxcb-render-util0", "libxcb-shape0", "libfontconfig1",
               "libegl1", "libgl1", "libdbus-1-3"]

DESKTOP = """[Desktop Entry]
Type=Application
Name={name_en}
Name[zh_CN]={name_zh}
GenericName[zh_CN]=整改台账
Comment={description}
Comment[zh_CN]={description}
Exec=/opt/apps/{appid}/files/rectify
Icon={appid}
Terminal=false
Categories=Office;
StartupWMClass=rectify
"""
# No %f and no MimeType: a launcher started without a file would leave a bare `--db` behind,
# which is a usage error, and the file association is optional (the Windows installer has it).


def build_deb(app: Path, out_dir: Path, *, appid: str = APPID, compression: str = "xz") -> Path:
    """The .deb laid out as the UOS / Kylin app stores expect: /opt/apps/<appid>/{files,
    entries,info}; no maintainer scripts, nothing written outside /opt/apps/<appid>."""
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    ver = version()
    stage = out_dir / f"{appid}_{ver}_{arch}"
    if stage.exists():
        shutil.rmtree(stage)
    base = stage / "opt" / "apps" / appid
    shutil.copytree(app, base / "files", symlinks=True)
    apps_dir = base / "entries" / "applications"
    icons_dir = base / "entries" / "icons" / "hicolor" / "scalable" / "apps"
    apps_dir.mkdir(parents=True)
    icons_dir.mkdir(parents=True)
    (apps_dir / f"{appid}.desktop").write_text(DESKTOP.format(
        name_en=NAME_EN, name_zh=NAME_ZH, description=DESCRIPTION, appid=appid), encoding="utf-8")
    shutil.copy2(SVG, icons_dir / f"{appid}.svg")
    info = {"appid": appid, "name": NAME_ZH, "version": ver, "arch": [arch],
            "permissions": {"autostart": False, "notification": False, "trayicon": False,
                            "clipboard": True, "account": False, "bluetooth": False,
                            "camera": False, "audio_record": False, "installed_apps": False}}
    (base / "info").write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n",
                               encoding="utf-8")
    glibc = glibc_needed(app)
    depends = [f"libc6 (>= {glibc})"] + sorted(
        set(debian_packages(system_libraries(app))) | set(XCB_RUNTIME))
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {appid}\nVersion: {ver}\nArchitecture: {arch}\n"
        f"Maintainer: rectify-tracker maintainers <rectify@localhost>\n"
        f"Installed-Size: {folder_size(base) // 1024}\nSection: office\nPriority: optional\n"
        f"Depends: {', '.join(depends)}\n"
        f"Description: {NAME_ZH} ({NAME_EN})\n {DESCRIPTION}。\n", encoding="utf-8")
    for path in stage.rglob("*"):  # dpkg-deb refuses group/world-writable control files
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    deb = out_dir / f"{appid}_{ver}_{arch}.deb"
    # --root-owner-group: files owned by root in the package without fakeroot.
    started = time.monotonic()
    subprocess.run(["dpkg-deb", "--root-owner-group", *COMPRESSION[compression], "--build",
                    str(stage), str(deb)], check=True)
    print(f"built {deb} in {time.monotonic() - started:.0f} s ({compression}): "
          f"{deb.stat().st_size / 2**20:.1f} MiB, needs glibc >= {glibc}")
    return deb


def build_installer(app: Path, out_dir: Path) -> Path:
    """The per-user Windows installer from packaging/windows/rectify.iss (Inno Setup 6)."""
    iscc = shutil.which("iscc") or shutil.which("ISCC") or next(
        (str(p) for p in (Path(os.environ.get("ProgramFiles(x86)", "")) / "Inno Setup 6"
                          / "ISCC.exe",) if p.exists()), None)
    if iscc is None:
        raise SystemExit("Inno Setup 6 not found: choco install innosetup, or put ISCC.exe on PATH")
    ico = make_ico(out_dir / "rectify.ico")
    subprocess.run([iscc, f"/DAppVersion={version()}", f"/DSourceDir={app}",
                    f"/DIconFile={ico}", f"/O{out_dir}", str(ISS)], check=True)
    setup = out_dir / f"rectify-setup-{version()}.exe"
    print(f"built {setup}: {setup.stat().st_size / 2**20:.1f} MiB")
    return setup


def main(argv: list[str] | None = None) -> int:
    """Parse the options and build what they ask for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the app folder and packages go (default ./dist)")
    parser.add_argument("--work", type=Path, help="PyInstaller's work folder (default DIST/work)")
    parser.add_argument("--skip-freeze", action="store_true",
                        help="reuse DIST/rectify from an earlier run (package only)")
    parser.add_argument("--deb", action="store_true", help="also build the .deb (Linux)")
    parser.add_argument("--compression", choices=sorted(COMPRESSION), default="xz",
                        help="of the .deb: xz (default, smallest) or gzip (fast, for tests)")
    parser.add_argument("--installer", action="store_true",
                        help="also build the Inno Setup installer (Windows)")
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    app = dist / "rectify" if args.skip_freeze else freeze(dist, (args.work or dist / "work"))
    if args.deb:
        build_deb(app, dist, compression=args.compression)
    if args.installer:
        build_installer(app, dist)
    return 0


if __name__ == "__main__":
    sys.exit(main())
