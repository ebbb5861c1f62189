"""Where a ledger file lives: warn about network shares, and open read-only folders safely."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path, PurePath, PureWindowsPath
from urllib.parse import quote

# File systems whose locks SQLite cannot trust (https://www.sqlite.org/useovernet.html).
NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smbfs", "smb3", "smb2", "afs", "ncpfs", "davfs", "9p", "ceph",
    "glusterfs", "lustre", "gpfs", "afpfs", "webdav", "fuse.sshfs", "fuse.rclone", "fuse.s3fs",
    "fuse.glusterfs", "fuse.gvfsd-fuse", "fuse.davfs2",
})

SQLITE_NETWORK_DOC = "https://www.sqlite.org/useovernet.html"

NETWORK_WARNING = (
    "台账文件位于网络共享位置（{where}）。SQLite 官方文档（" + SQLITE_NETWORK_DOC + "）指出："
    "网络文件系统的文件锁不可靠，两台电脑同时打开时可能互相覆盖甚至损坏台账。"
    "建议把台账放在本机磁盘上，与他人交换时导出 Excel 或发送备份文件；"
    "几个人要同时使用同一本台账时，请改用服务器台账（文件 → 连接服务器台账…，"
    "或 rectify copy 把台账搬到服务器，见 docs/server.md）。"
    "在网络位置上，台账改用回滚日志（不使用 WAL）。"
)


def _windows_drive_is_remote(path: Path) -> bool:
    import ctypes

    drive = os.path.splitdrive(str(path))[0]
    if not drive:
        return False
    drive_remote = 4  # GetDriveTypeW's DRIVE_REMOTE: a mapped network drive
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    return bool(kernel32.GetDriveTypeW(drive + "\\") == drive_remote)


def _unc_share(text: str) -> str:
    """The share of a UNC path (\\\\server\\share, //server/share, \\\\?\\UNC\\...), else ''."""
    norm = text.replace("/", "\\")
    if norm.upper().startswith("\\\\?\\UNC\\"):
        return "\\\\" + norm[8:]
    if norm.startswith("\\\\?\\") or norm.startswith("\\\\.\\"):
        return ""  # a long local path (\\?\C:\...) or a device, not a share
    if norm.startswith("\\\\"):
        return norm
    return ""


def _mount_type(target: str, mounts: list[tuple[str, str]]) -> str:
    """The file-system type of the longest mount point containing ``target``."""
    best, fstype = "", ""
    for mount_point, kind in mounts:
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, fstype = mount_point, kind
    return fstype


def _linux_mounts() -> list[tuple[str, str]]:
    try:
        lines = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:
            out.append((parts[1].replace("\\040", " "), parts[2]))
    return out


def _mac_mounts() -> list[tuple[str, str]]:
    # `mount` prints "//user@server/share on /Volumes/share (smbfs, nodev, ...)".
    import subprocess  # only on a Mac, only when asked

    try:
        text = subprocess.run(["mount"], capture_output=True, text=True, timeout=3).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    out = []
    for line in text.splitlines():
        if " on " in line and " (" in line:
            rest = line.split(" on ", 1)[1]
            point, _, opts = rest.rpartition(" (")
            out.append((point, opts.split(",")[0].strip(" )")))
    return out


def network_warning(path: Path) -> str:
    """A Chinese warning when ``path`` is on a network share (UNC, mapped drive, NFS/SMB), else ''."""
    text = str(path)
    share = _unc_share(text)
    if share:
        return NETWORK_WARNING.format(where=share)
    try:
        if sys.platform == "win32":
            if _windows_drive_is_remote(path):
                return NETWORK_WARNING.format(where=os.path.splitdrive(text)[0] + " 网络驱动器")
            return ""
        # Follow symlinks: a link in the home folder may point into a mounted share.
        target = os.path.realpath(path if path.exists() else path.parent)
        mounts = _mac_mounts() if sys.platform == "darwin" else _linux_mounts()
        fstype = _mount_type(target, mounts)
    except Exception:  # never let a platform query stop a ledger from opening
        return ""
    if fstype in NETWORK_FS:
        return NETWORK_WARNING.format(where=f"{fstype} 文件系统")
    return ""


def folder_writable(folder: Path) -> bool:
    """Whether a file can be created in ``folder``, found by creating (and removing) one.

    os.access(folder, W_OK) cannot tell: on Windows it looks only at the read-only attribute,
    which folders ignore, so a write-protected share or a locked-down folder reads as writable;
    and on Linux it misses a read-only mount for root. Creating a file asks the file system."""
    import uuid

    probe = folder / f".rectify-write-test-{uuid.uuid4().hex}.tmp"
    try:
        fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError:
        return False
    os.close(fd)
    try:
        probe.unlink()
    except OSError:  # created but not removable (odd ACLs): writable all the same
        pass
    return True


def file_writable(path: Path) -> bool:
    """Whether ``path`` (an existing file) opens for writing; nothing is written to it.

    Opening for read/write is what SQLite does, so this sees what os.access misses on
    Windows: ACLs that deny writing, and a file another program holds without sharing."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    os.close(fd)
    return True


def sqlite_file_uri(path: PurePath) -> str:
    r"""The ``file:`` URI of an absolute path as SQLite reads it, for Windows paths too.

    pathlib's as_uri writes a UNC share as file://server/share/..., which SQLite rejects (it
    accepts only an empty or 'localhost' authority), so shares become file:////server/share;
    the long-path prefix \\?\ is dropped (SQLite adds its own); spaces, '?', '#' and Chinese
    are percent-encoded, which SQLite decodes back to UTF-8."""
    if isinstance(path, PureWindowsPath):
        text = str(path)
        if text.upper().startswith("\\\\?\\UNC\\"):
            path = PureWindowsPath("\\\\" + text[8:])
        elif text.startswith("\\\\?\\"):
            path = PureWindowsPath(text[4:])
        posix = path.as_posix()  # C:/x/y.sqlite or //server/share/y.sqlite
        # A share keeps its two leading slashes after an empty authority: file: + // + //srv/...
        prefix = "file://" if posix.startswith("//") else "file:///"
        return prefix + quote(posix, safe="/:")
    return path.as_uri()


def read_only_uri(path: Path) -> str:
    """The sqlite3 URI that opens ``path`` read-only, even in a folder we cannot write to.

    A WAL ledger needs its -shm/-wal side files; in a read-only folder (a CD, a write-protected
    share) SQLite cannot create them and refuses to read. When there are none and no WAL
    content can be missed, ``immutable=1`` lets SQLite read the main file without them."""
    uri = f"{sqlite_file_uri(path.resolve())}?mode=ro"
    wal = Path(str(path) + "-wal")
    shm = Path(str(path) + "-shm")
    wal_empty = not wal.exists() or wal.stat().st_size == 0
    if not shm.exists() and wal_empty and not folder_writable(path.parent):
        uri += "&immutable=1"
    return uri


SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
_SQUASHED = re.compile(r"^\s*(postgres(?:ql)?(?:\+psycopg)?):/(?!/)", re.I)


def unsquash(text: str) -> str:
    """A server URL as written: one that went through pathlib (str(Path(url))) lost a slash
    (postgresql:/u@h/db). No ledger file is named like that (a colon cannot even be in a
    Windows file name)."""
    return _SQUASHED.sub(r"\1://", text)


def is_server_url(value: object) -> bool:
    """True for a postgresql:// ledger URL (a str), False for a file path."""
    return isinstance(value, str) and unsquash(value).strip().lower().startswith(SCHEMES)


def default_ledger_path() -> Path:
    """RECTIFY_DB if set, else ledger.sqlite in the user's data directory."""
    env = os.environ.get("RECTIFY_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("rectify", appauthor=False)) / "ledger.sqlite"
