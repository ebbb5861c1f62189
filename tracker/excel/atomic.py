"""Files the app writes for the clerk (ledgers, 销号单, archives, packages, PDFs) appear whole or
not at all: each is written under a hidden temporary name in the same folder and swapped in with
one rename, so a crash, a full disk or a file held open in Excel never leaves half a file under
the real name, and an existing file is only replaced by a complete one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tracker.errors import StorageError


def part_name(target: Path) -> Path:
    """The hidden temporary name beside ``target`` (same folder, so the rename is atomic)."""
    return target.with_name(f".{target.name}.{os.getpid()}.part")


def storage_error(target: Path, exc: OSError) -> StorageError:
    """The clerk's message for a file that could not be written, by cause."""
    if isinstance(exc, PermissionError):
        return StorageError(f"无法写入“{target}”：文件可能正在 Excel 或 WPS 中打开，或没有写入权限。"
                            "请关闭该文件后重试。")
    return StorageError(f"无法写入“{target}”：{exc.strerror or exc}")


@contextmanager
def replaced_whole(target: Path) -> Iterator[Path]:
    """Yield the temporary path to write; on success it replaces ``target`` in one rename. An
    OSError becomes a StorageError naming ``target``; the temporary file never stays behind."""
    part = part_name(target)
    try:
        yield part
        os.replace(part, target)
    except OSError as exc:
        raise storage_error(target, exc) from exc
    finally:
        with suppress(OSError):
            part.unlink()
