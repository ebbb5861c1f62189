"""The terminal around a command: streams that never fail on a character the console lacks,
operating-system errors in one Chinese line, and progress bars on stderr.

Progress of long work (check, export, import, demo, backup, restore) is drawn with rich, only
when stderr is a terminal: a script reading the output or a log file gets nothing. The OS's own
error text ("Is a directory") is English or in the system's code page, so it is never shown;
the error number decides the words."""

from __future__ import annotations

import errno
import io
import sys
from types import TracebackType
from typing import Any, TextIO

# errno -> (what happened, what to do)
_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOENT: ("找不到该文件或文件夹", "请检查路径是否写对"),
    errno.EACCES: ("没有访问权限", "请检查文件权限，或换一个位置"),
    errno.EPERM: ("操作不被允许", "请检查文件权限，或换一个位置"),
    errno.EISDIR: ("这是一个文件夹，不是文件", "请在路径最后写上文件名"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "请检查路径是否写对"),
    errno.ENOSPC: ("磁盘空间已满", "请清理磁盘空间后重试"),
    errno.EROFS: ("磁盘或文件夹是只读的", "请换一个可写的位置"),
    errno.EEXIST: ("文件已存在", "请换一个文件名"),
    errno.EBUSY: ("文件正被占用", "请关闭正在使用它的程序后重试"),
    errno.ENAMETOOLONG: ("文件名或路径太长", "请换一个短一些的路径"),
    errno.EINVAL: ("文件名不合法", "请去掉文件名中的特殊字符"),
    errno.EMFILE: ("同时打开的文件太多", "请关闭一些程序后重试"),
    errno.EIO: ("读写磁盘出错", "请检查磁盘或 U 盘是否连接正常"),
}
# Windows reports a file open in Excel as a sharing violation (winerror 32 / 33).
_WINDOWS: dict[int, tuple[str, str]] = {
    32: ("文件正被另一个程序（例如 Excel 或 WPS）打开", "请关闭该文件后重试"),
    33: ("文件的一部分被另一个程序锁定", "请关闭正在使用它的程序后重试"),
    5: ("没有访问权限", "请检查文件权限，或换一个位置"),
    112: ("磁盘空间已满", "请清理磁盘空间后重试"),
}


def os_error_text(exc: OSError) -> str:
    """One Chinese sentence for ``exc``, naming the file when the error names one."""
    winerror = getattr(exc, "winerror", None)
    reason = (_WINDOWS.get(winerror) if isinstance(winerror, int) else None) \
        or _REASONS.get(exc.errno or -1)
    if reason is None:
        code = f"（错误号 {exc.errno}）" if exc.errno else ""
        reason = (f"系统报告了一个文件错误{code}", "请检查文件和磁盘后重试")
    what, todo = reason
    name = exc.filename if exc.filename is not None else ""
    where = f"“{name}”" if name else ""
    return f"文件操作失败：{where}{what}。{todo}。"


def setup_streams() -> None:
    """Make stdout/stderr never fail on a character their encoding lacks (𠮷 or an emoji in a
    ledger, printed on a Chinese Windows console or pipe in GBK): such a character shows as
    ?. The encoding itself is kept, console or pipe: a clerk's script (PowerShell, a .bat
    with findstr) decodes the output with the system's code page, and PYTHONIOENCODING or
    PYTHONUTF8=1 still choose UTF-8. JSON stays lossless anyway (common.dump_json)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        # Only the process's own streams: a test's or an embedding program's are left alone.
        if stream is None or stream is not getattr(sys, f"__{name}__"):
            continue
        if not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            stream.reconfigure(errors="replace")
        except (OSError, ValueError):  # a closed or detached stream: nothing to protect
            pass


class CliProgress:
    """A progress bar on stderr while the ``with`` block runs; a no-op off a terminal."""

    def __init__(self, title: str, stream: TextIO | None = None) -> None:
        self.title = title
        self.stream = stream if stream is not None else sys.stderr
        self._bar: Any = None
        self._task: Any = None

    @property
    def enabled(self) -> bool:
        """Whether anything is drawn: only on a terminal."""
        try:
            return bool(self.stream is not None and self.stream.isatty())
        except (OSError, ValueError):
            return False

    def __enter__(self) -> CliProgress:
        if not self.enabled:
            return self
        # rich loads only here: a command piped into a file does not pay for it.
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn)

        console = Console(file=self.stream, force_terminal=True)
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                             MofNCompleteColumn(), TimeElapsedColumn(),
                             console=console, transient=True)
        self._bar.start()
        self._task = self._bar.add_task(self.title, total=None)
        return self

    def __call__(self, done: int, total: int, text: str = "") -> None:
        """Report ``done`` of ``total`` (total 0: not known yet)."""
        if self._bar is None:
            return
        self._bar.update(self._task, completed=done, total=total or None,
                         description=text or self.title)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()  # transient: the bar disappears, the command's own lines stay
            self._bar = None

    def two(self) -> Any:
        """The callback for work that reports (done, total) without a text (the demo)."""
        return lambda done, total: self(done, total)
