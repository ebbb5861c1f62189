"""Is a newer installer there? IT names an update location (a shared folder or an intranet URL)
in a small config file; the app looks there and tells the clerk. It never downloads or runs
anything itself: installing stays the clerk's (or IT's) decision.

The config file, the first found of (IT usually deploys the second or third):

- the file named by the RECTIFY_UPDATE_CONFIG environment variable;
- ``update.ini`` in the user's config folder (%APPDATA%\\rectify, ~/.config/rectify);
- ``update.ini`` in the machine's config folder (C:\\ProgramData\\rectify, /etc/xdg/rectify);
- ``update.ini`` beside the program (the installed folder of a packaged build).

    [update]
    location = \\\\fileserver\\软件\\整改台账
    ; or: location = http://intranet.example/rectify/

A folder is searched for installers named like those packaging/build.py makes
(rectify-setup-0.2.0.exe, org.rectify.tracker_0.2.0_amd64.deb) or for a ``latest.json``; a URL
is asked for ``latest.json`` only: {"version": "0.2.0", "file": "rectify-setup-0.2.0.exe",
"notes": "…"} ("file" may be a full URL).
"""

from __future__ import annotations

import configparser
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tracker import __version__

CONFIG_NAME = "update.ini"
ENV_CONFIG = "RECTIFY_UPDATE_CONFIG"
LATEST = "latest.json"
TIMEOUT_S = 5  # an intranet answers in well under a second; a dead one must not keep us long
# rectify-setup-0.2.0.exe (Windows) and org.rectify.tracker_0.2.0_amd64.deb (UOS / Kylin)
INSTALLER_RE = re.compile(
    r"^(?:rectify-setup-(?P<win>\d+(?:\.\d+)*)\.exe"
    r"|[\w.]*rectify[\w.]*_(?P<deb>\d+(?:\.\d+)*)_[\w-]+\.deb)$", re.IGNORECASE)


@dataclass(frozen=True)
class Update:
    """A newer version found at the update location."""

    version: str
    where: str  # the installer's path or URL, as the clerk can open or copy it
    notes: str = ""


def parse_version(text: str) -> tuple[int, ...]:
    """'0.10.2' -> (0, 10, 2); anything after the numbers ('rc1', '-beta') is ignored."""
    match = re.match(r"\s*v?(\d+(?:\.\d+)*)", text)
    if match is None:
        return ()
    numbers = [int(n) for n in match.group(1).split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:  # 0.2 == 0.2.0
        numbers.pop()
    return tuple(numbers)


def _config_candidates() -> list[Path]:
    from platformdirs import site_config_dir, user_config_dir

    out = []
    env = os.environ.get(ENV_CONFIG)
    if env:
        out.append(Path(env).expanduser())
    out.append(Path(user_config_dir("rectify", appauthor=False)) / CONFIG_NAME)
    out.append(Path(site_config_dir("rectify", appauthor=False)) / CONFIG_NAME)
    out.append(Path(sys.executable).resolve().parent / CONFIG_NAME)
    return out


def configured_location(candidates: list[Path] | None = None) -> str:
    """The update location from the first config file that names one, else ''."""
    for path in candidates if candidates is not None else _config_candidates():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            # utf-8-sig: Notepad on Windows may save with a BOM.
            parser.read_string(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, configparser.Error):
            continue
        location = parser.get("update", "location", fallback="").strip().strip('"')
        if location:
            return location
    return ""


def _is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def _installer_kind() -> str:
    return "win" if sys.platform == "win32" else "deb"


def _from_folder(folder: Path, kind: str) -> Update | None:
    best: Update | None = None
    for entry in folder.iterdir():
        match = INSTALLER_RE.match(entry.name)
        if match and match.group(kind):
            found = Update(match.group(kind), str(entry))
            if best is None or parse_version(found.version) > parse_version(best.version):
                best = found
    latest = folder / LATEST
    if latest.is_file():
        from_json = _from_latest(latest.read_text(encoding="utf-8-sig"), str(folder), kind)
        if from_json and (best is None
                          or parse_version(from_json.version) > parse_version(best.version)):
            best = from_json
    return best


def _from_latest(text: str, base: str, kind: str) -> Update | None:
    """The version latest.json announces; the installer named relative to ``base``."""
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("version"), str):
        return None
    name = data.get("file" if kind == "win" else "deb") or data.get("file") or ""
    if not isinstance(name, str):
        name = ""
    if _is_url(name) or not name:
        where = name or base
    elif _is_url(base):
        where = base.rstrip("/") + "/" + name
    else:
        where = str(Path(base) / name)
    notes = data.get("notes") if isinstance(data.get("notes"), str) else ""
    return Update(data["version"], where, notes or "")


def _from_url(url: str, kind: str) -> Update | None:
    import urllib.request  # here: it loads ssl, which the window's start-up does not need

    target = url if url.lower().endswith(".json") else url.rstrip("/") + "/" + LATEST
    request = urllib.request.Request(target, headers={"User-Agent": f"rectify/{__version__}"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (IT's URL)
        body = response.read(64 * 1024).decode("utf-8-sig")  # a small JSON, never an installer
    return _from_latest(body, target.rsplit("/", 1)[0], kind)


def check(location: str | None = None, current: str = __version__,
          kind: str | None = None) -> Update | None:
    """A newer version at the update location, or None (none configured, none newer, or the
    location cannot be reached: a missing share must never bother the clerk)."""
    location = configured_location() if location is None else location
    if not location:
        return None
    kind = kind or _installer_kind()
    try:
        found = (_from_url(location, kind) if _is_url(location)
                 else _from_folder(Path(location).expanduser(), kind))
    except (OSError, ValueError):  # unreachable, refused, bad JSON (ValueError): say nothing
        return None
    if found is None or parse_version(found.version) <= parse_version(current):
        return None
    return found
