"""An Office file (.xlsx, .docx) to PDF through LibreOffice headless: the one converter the
program uses, found on PATH, in RECTIFY_SOFFICE, or where LibreOffice installs itself on
Windows and macOS. Excel and WPS offer no dependable command line for this."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tracker.errors import StorageError, ValidationError
from tracker.excel.atomic import replaced_whole

ENV = "RECTIFY_SOFFICE"  # a LibreOffice the clerk (or IT) points to explicitly
TIMEOUT = 300  # seconds: a first run sets up its profile, and a big workbook takes a while
NOT_FOUND = ("没有找到 LibreOffice，无法直接生成 PDF。请安装 LibreOffice（免费），或改为保存 .xlsx 文件，"
             "在 Excel 或 WPS 中打印或另存为 PDF。")


def _windows_candidates() -> list[Path]:
    bases = [os.environ.get(k) for k in ("PROGRAMFILES", "PROGRAMFILES(X86)", "PROGRAMW6432")]
    bases += [r"C:\Program Files", r"C:\Program Files (x86)"]
    out: list[Path] = []
    for base in dict.fromkeys(b for b in bases if b):
        # "LibreOffice", or "LibreOffice 7" from older installers.
        out += sorted(Path(base).glob("LibreOffice*/program/soffice.exe"), reverse=True)
    return out


def find_soffice() -> Path | None:
    """The LibreOffice program that converts, or None when none is installed."""
    named = os.environ.get(ENV, "").strip()
    if named and Path(named).is_file():
        return Path(named)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    candidates: list[Path] = []
    if sys.platform == "win32":
        candidates = _windows_candidates()
    elif sys.platform == "darwin":
        candidates = [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return next((c for c in candidates if c.is_file()), None)


def convert_to_pdf(source: Path, target: Path, timeout: int = TIMEOUT) -> Path:
    """Write ``source`` as the PDF ``target`` (replaced only when the conversion succeeded)."""
    soffice = find_soffice()
    if soffice is None:
        raise ValidationError(NOT_FOUND)
    with tempfile.TemporaryDirectory(prefix="rectify-pdf-") as tmp:
        # Its own profile: with the clerk's LibreOffice window open, a conversion sharing
        # the default profile is handed to that window and silently does nothing.
        profile = (Path(tmp) / "profile").as_uri()
        out = Path(tmp) / "out"
        try:
            done = subprocess.run(
                [str(soffice), f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", str(out), str(source)],
                capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise StorageError(f"LibreOffice 转换“{source.name}”超过 {timeout} 秒仍未完成，已停止。"
                               "请改为保存 .xlsx 文件。") from None
        except OSError as exc:
            raise StorageError(f"无法启动 LibreOffice（{soffice}）：{exc.strerror or exc}") from exc
        produced = out / (source.stem + ".pdf")
        if done.returncode != 0 or not produced.is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise StorageError(f"LibreOffice 未能把“{source.name}”转换为 PDF"
                               + (f"：{said[-1]}" if said else "。") + "请改为保存 .xlsx 文件。")
        with replaced_whole(target) as part:
            shutil.copyfile(produced, part)
    return target
