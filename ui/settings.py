"""What the window remembers between runs (QSettings): thresholds, user name, recent files,
geometry. One place for the key names so a newcomer finds every remembered thing here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "rectify"
APPLICATION = "整改台账"

KEY_SOON_DAYS = "warning/soon_days"
KEY_LATER_DAYS = "warning/later_days"
KEY_USER_NAME = "user/name"
KEY_RECENT = "files/recent"
KEY_LAST_LEDGER = "files/last"
KEY_LAST_FILTER = "window/last_filter"
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_SPLITTER = "window/splitter"
KEY_HEADER = "window/table_header"  # column widths, order and the sort arrow

DEFAULT_SOON_DAYS = 7
DEFAULT_LATER_DAYS = 30
MAX_RECENT = 8


def settings() -> QSettings:
    """The application's settings store (an INI file per user)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def thresholds() -> tuple[int, int]:
    """(amber days, blue days): due within the first is amber, within the second blue."""
    s = settings()
    soon = _int(s.value(KEY_SOON_DAYS, DEFAULT_SOON_DAYS), DEFAULT_SOON_DAYS)
    later = _int(s.value(KEY_LATER_DAYS, DEFAULT_LATER_DAYS), DEFAULT_LATER_DAYS)
    soon = max(1, soon)
    return soon, max(soon, later)


def set_thresholds(soon: int, later: int) -> None:
    """Store the warning horizons."""
    s = settings()
    s.setValue(KEY_SOON_DAYS, int(soon))
    s.setValue(KEY_LATER_DAYS, int(max(soon, later)))


def user_name() -> str:
    """The name written into the change history ('' means the login name)."""
    return str(settings().value(KEY_USER_NAME, "") or "")


def set_user_name(name: str) -> None:
    """Store the name written into the change history."""
    settings().setValue(KEY_USER_NAME, name.strip())


def recent_files() -> list[str]:
    """Recently opened ledgers, newest first, as stored: none is looked at on disk here.

    Checking each one at start-up would wait on every unreachable share in the list (tens of
    seconds each on Windows); ledger_files.open_recent checks the one the clerk picks."""
    value = settings().value(KEY_RECENT, [])
    items: list[object] = ([value] if isinstance(value, str)
                           else list(value) if isinstance(value, (list, tuple)) else [])
    return [str(p) for p in items if p]


def remove_recent_file(path: str) -> None:
    """Drop a ledger from the recent list (it was moved or deleted)."""
    settings().setValue(KEY_RECENT, [p for p in recent_files() if p != path])


def add_recent_file(path: Path | str) -> None:
    """Put a ledger at the top of the recent list and remember it as the last one opened."""
    text = str(Path(path).absolute())
    items = [p for p in recent_files() if p != text]
    s = settings()
    s.setValue(KEY_RECENT, [text, *items][:MAX_RECENT])
    s.setValue(KEY_LAST_LEDGER, text)


def last_ledger() -> str | None:
    """The ledger opened last time, if it still exists."""
    value = settings().value(KEY_LAST_LEDGER, "")
    return str(value) if value and Path(str(value)).exists() else None


def value_str(key: str, default: str = "") -> str:
    """A stored string."""
    return str(settings().value(key, default) or default)


def value_bytes(key: str) -> QByteArray | None:
    """A stored byte array (geometry, header state), or None."""
    value = settings().value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def set_value(key: str, value: object) -> None:
    """Store one value."""
    settings().setValue(key, value)
