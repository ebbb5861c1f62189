"""Where a ledger file lives: warn about network shares, and open read-only folders safely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
    "建议把台账放在本机磁盘上，与他人交换时导出 Excel 或发送备份文件。"
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


def read_only_uri(path: Path) -> str:
    """The sqlite3 URI that opens ``path`` read-only, even in a folder we cannot write to.

    A WAL ledger needs its -shm/-wal side files; in a read-only folder (a CD, a write-protected
    share) SQLite cannot create them and refuses to read. When there are none and no WAL
    content can be missed, ``immutable=1`` lets SQLite read the main file without them."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    wal = Path(str(path) + "-wal")
    shm = Path(str(path) + "-shm")
    folder_writable = os.access(path.parent, os.W_OK)
    wal_empty = not wal.exists() or wal.stat().st_size == 0
    if not folder_writable and not shm.exists() and wal_empty:
        uri += "&immutable=1"
    return uri
