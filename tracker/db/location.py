"""Where a ledger file lives: warn when it sits on a network share, where SQLite is unsafe."""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "9p", "afs", "ncpfs", "davfs"}

NETWORK_WARNING = (
    "台账文件位于网络共享位置（{where}）。SQLite 官方文档指出，网络文件系统的文件锁不可靠，"
    "多人同时使用可能损坏数据。建议把台账放在本机磁盘，通过导出 Excel 与他人交换。"
)


def _windows_drive_is_remote(path: Path) -> bool:
    import ctypes

    drive = os.path.splitdrive(str(path))[0]
    if not drive:
        return False
    DRIVE_REMOTE = 4
    return bool(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE)  # type: ignore[attr-defined]


def _linux_mount_type(path: Path) -> str:
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    best, fstype = "", ""
    target = str(path)
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        if (target == mount_point or target.startswith(mount_point.rstrip("/") + "/")) and len(
            mount_point
        ) > len(best):
            best, fstype = mount_point, parts[2]
    return fstype


def network_warning(path: Path) -> str:
    """A Chinese warning when ``path`` is on a network share (UNC, mapped drive, NFS/SMB), else ''."""
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        return NETWORK_WARNING.format(where=text)
    if sys.platform == "win32":
        try:
            if _windows_drive_is_remote(path):
                return NETWORK_WARNING.format(where=os.path.splitdrive(text)[0] + " 网络驱动器")
        except Exception:  # never let a platform query stop a ledger from opening
            return ""
        return ""
    fstype = _linux_mount_type(path.parent if not path.exists() else path)
    if fstype in NETWORK_FS:
        return NETWORK_WARNING.format(where=f"{fstype} 文件系统")
    return ""
