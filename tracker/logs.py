"""Errors leave a trace: a small rotating log file per front end (cli, window) in the user's log
folder, and the one Chinese sentence that points the clerk to it after an unexpected error.

Logging must never be the thing that breaks the program: a folder that cannot be created or a
file that cannot be written means "no log file", silently, never an exception or a traceback.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

ENV = "RECTIFY_LOG_DIR"
APP_NAME = "rectify"
LOGGER_NAME = "rectify"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s [%(process)d %(threadName)s] %(name)s: %(message)s"
# Loggers of our own packages that may write INFO lines; everyone else's stay at WARNING so an
# INFO-level root never makes SQLAlchemy log every statement.
OWN_LOGGERS = (LOGGER_NAME, "tracker", "ui")

logger = logging.getLogger(LOGGER_NAME)
# Without any handler logging's "last resort" would print ERROR records (with their traceback)
# to stderr, which is exactly what the clerk must never see.
logger.addHandler(logging.NullHandler())


def _quiet_rotating_handler(path: Path) -> logging.FileHandler:
    """A rotating file handler that drops a record it cannot write instead of printing a
    "--- Logging error ---" traceback (a full disk, or Windows refusing to rotate a file that
    another rectify window holds open)."""
    # Only here: logging.handlers (socket, pickle, queue) is start-up cost for every command.
    import logging.handlers

    class QuietRotatingFileHandler(logging.handlers.RotatingFileHandler):
        """Rotates like its base; a failed write is dropped."""

        def handleError(self, record: logging.LogRecord) -> None:
            """Ignore the failure: the log is a help, not a duty."""

    return QuietRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                    encoding="utf-8")


_handler: logging.FileHandler | None = None


def log_dir() -> Path:
    """The folder for log files: RECTIFY_LOG_DIR if set, else platformdirs' user log folder."""
    override = os.environ.get(ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def _file_name(kind: str) -> str:
    # The kind becomes part of a file name: keep it to safe characters on every OS.
    safe = re.sub(r"[^0-9A-Za-z_-]+", "-", kind).strip("-") or "app"
    return f"{APP_NAME}-{safe}.log"


def setup_logging(kind: str) -> Path | None:
    """Send log records to ``<log folder>/rectify-<kind>.log`` (rotating, 1 MB x 5, UTF-8); the
    file's path, or None when no file can be written there (then nothing is logged)."""
    global _handler
    try:
        folder = log_dir()
        path = (folder / _file_name(kind)).resolve()
    except Exception:  # a broken environment means no log, never a crash
        stop_logging()
        return None
    if _handler is not None and Path(_handler.baseFilename) == path:
        return path  # already logging there (the CLI's main() may run many times in a process)
    stop_logging()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = _quiet_rotating_handler(path)
    except Exception:  # read-only folder, bad drive letter, path too long ...
        return None
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(FORMAT))
    # On the root logger so warnings of libraries (openpyxl, alembic) land in the file too; the
    # root's own level is left alone, only our loggers are lowered to INFO.
    logging.getLogger().addHandler(handler)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    _handler = handler
    return path


def stop_logging() -> None:
    """Close the log file and stop writing to it (tests, or before switching folders)."""
    global _handler
    if _handler is None:
        return
    logging.getLogger().removeHandler(_handler)
    try:
        _handler.close()
    except Exception:  # closing a file on a vanished drive must not crash
        pass
    _handler = None


def log_path() -> Path | None:
    """The file currently logged to, or None when there is none."""
    return Path(_handler.baseFilename) if _handler is not None else None


def log_exception(message: str, exc: BaseException) -> None:
    """Write ``message`` and the full traceback of ``exc`` to the log."""
    logger.error(message, exc_info=(type(exc), exc, exc.__traceback__))


def log_known_error(message: str, exc: BaseException) -> None:
    """Write an expected error (one the clerk was shown in words) as a single line, no traceback."""
    text = getattr(exc, "message", None) or str(exc)
    logger.warning("%s：%s（%s）", message, text, type(exc).__name__)


def unexpected_error_text(exc: BaseException, path: Path | None = None) -> str:
    """One Chinese sentence for an unexpected error, naming the log file (default: the current
    one) or, when there is none, asking the clerk to describe what happened."""
    where = path if path is not None else log_path()
    name = type(exc).__name__
    if where is None:
        return f"程序出现意外错误（{name}），未能写入日志文件。请记下刚才的操作并告知技术支持。"
    return f"程序出现意外错误（{name}），已记录到日志文件：{where}。请把该文件发给技术支持。"
