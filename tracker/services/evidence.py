"""佐证材料: files attached to a problem (or one of its measures), kept inside the ledger so one
file backs up and restores everything; identical files are stored once (by SHA-256)."""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.closeout_model import EvidenceRow
from tracker.db.engine import Ledger
from tracker.db.orm import Evidence, EvidenceBlob, Measure
from tracker.errors import ConflictError, NotFoundError, ValidationError
from tracker.services.closeout_settings import closeout_settings
from tracker.services.records import checked_text, get_problem_obj, record
from tracker.text import safe_file_name

CHUNK = 900


def _row(e: Evidence) -> EvidenceRow:
    return EvidenceRow(e.id, e.problem_id, e.measure_id, e.name, e.size, e.sha256, e.added_on,
                       e.added_by, e.note)


def read_attachment(path: Path, limit_mb: int) -> bytes:
    """A file's bytes, refused with one sentence when it is missing, a folder, empty, larger
    than the limit, unreadable, or still being written (its size or time moves while read)."""
    name = path.name
    try:
        before = path.stat()
    except OSError:
        raise ValidationError(f"找不到文件“{path}”。") from None
    if path.is_dir():
        raise ValidationError(f"“{name}”是文件夹，请选择其中的文件。")
    if before.st_size == 0:
        raise ValidationError(f"“{name}”是空文件（0 字节），没有上传。")
    if before.st_size > limit_mb * 1024 * 1024:
        raise ValidationError(
            f"“{name}”有 {before.st_size / 1024 / 1024:.1f} MB，超过每个佐证材料 {limit_mb} MB "
            "的上限（可在首选项或 rectify config 中调整），没有上传。")
    try:
        data = path.read_bytes()
        after = path.stat()
    except OSError as exc:
        raise ValidationError(f"无法读取“{name}”（{exc.strerror or exc}），可能被其他程序占用。") from None
    if len(data) != after.st_size or (after.st_size, after.st_mtime_ns) != (
            before.st_size, before.st_mtime_ns):
        raise ValidationError(f"“{name}”正在被写入（读取时大小或时间发生了变化），请等它保存完再上传。")
    return data


@dataclass(frozen=True)
class PendingFile:
    """A file to attach inside another unit of work (a unit's returned package): checked and
    hashed beforehand, its bytes read only when it is stored."""

    problem_id: int
    name: str
    size: int
    sha256: str
    load: Callable[[], bytes]
    note: str = ""


def _store(s: Session, problem_id: int, measure_id: int | None, name: str, data: bytes,
           note: str, digest: str | None = None) -> Evidence:
    digest = digest or hashlib.sha256(data).hexdigest()
    if s.get(EvidenceBlob, digest) is None:
        s.add(EvidenceBlob(sha256=digest, size=len(data), data=data))
        s.flush()  # no relationship orders the inserts: the bytes must be there first
    item = Evidence(problem_id=problem_id, measure_id=measure_id, sha256=digest,
                    name=safe_file_name(name), size=len(data), note=note,
                    added_on=clock.today(), added_by=str(s.info.get("user", "")))
    s.add(item)
    s.flush()
    record(s, "evidence", item.id, problem_id, "create", "name", "", item.name)
    return item


def attach_files(ledger: Ledger, problem_id: int, paths: Sequence[Path],
                 measure_id: int | None = None, note: str = "") -> list[EvidenceRow]:
    """Attach files to a problem (or its measure) in one transaction: all or none."""
    limit = closeout_settings(ledger).evidence_limit_mb
    loaded = [(Path(p).name, read_attachment(Path(p), limit)) for p in paths]
    return attach_bytes(ledger, problem_id, loaded, measure_id, note)


def attach_bytes(ledger: Ledger, problem_id: int, files: Iterable[tuple[str, bytes]],
                 measure_id: int | None = None, note: str = "") -> list[EvidenceRow]:
    """Attach already-read files (a unit's returned zip, an undone removal)."""
    note = checked_text(note, "note", "说明").strip()
    with ledger.write() as s:
        get_problem_obj(s, problem_id)
        if measure_id is not None:
            m = s.get(Measure, measure_id)
            if m is None or m.problem_id != problem_id:
                raise NotFoundError(f"整改措施（编号 {measure_id}）不属于问题（编号 {problem_id}）。")
        return [_row(_store(s, problem_id, measure_id, name, data, note)) for name, data in files]


def store_pending(s: Session, files: Iterable[PendingFile],
                  tick: Callable[[], None] | None = None) -> int:
    """Attach files within the caller's transaction (an import's), skipping any whose content
    the problem already has; returns how many were attached. A file whose bytes no longer
    match the hash it was checked with refuses the whole transaction."""
    known: dict[int, set[str]] = {}
    attached = 0
    for f in files:
        have = known.get(f.problem_id)
        if have is None:
            get_problem_obj(s, f.problem_id)
            have = known[f.problem_id] = set(s.scalars(
                select(Evidence.sha256).where(Evidence.problem_id == f.problem_id)))
        if f.sha256 not in have:
            data = f.load()
            if hashlib.sha256(data).hexdigest() != f.sha256:
                raise ConflictError(f"“{f.name}”在检查之后被修改了，为免上传未经检查的内容，"
                                    "本次导入没有保存。请重新检查后再导入。")
            _store(s, f.problem_id, None, f.name, data, checked_text(f.note, "note", "说明").strip(),
                   f.sha256)
            have.add(f.sha256)
            attached += 1
        if tick is not None:
            tick()
    return attached


def list_evidence(ledger: Ledger, problem_id: int) -> list[EvidenceRow]:
    """A problem's evidence, oldest first (the files' bytes are not read)."""
    return evidence_by_problem(ledger, [problem_id]).get(problem_id, [])


def evidence_by_problem(ledger: Ledger, problem_ids: Iterable[int]) -> dict[int, list[EvidenceRow]]:
    """Evidence of many problems at once, by problem (for list --json and the export)."""
    ids = list(problem_ids)
    out: dict[int, list[EvidenceRow]] = defaultdict(list)
    with ledger.read() as s:
        for start in range(0, len(ids), CHUNK):
            q = (select(Evidence).where(Evidence.problem_id.in_(ids[start:start + CHUNK]))
                 .order_by(Evidence.problem_id, Evidence.id))
            for e in s.scalars(q):
                out[e.problem_id].append(_row(e))
    return dict(out)


def evidence_counts(ledger: Ledger, problem_ids: Iterable[int]) -> dict[int, int]:
    """How many files each problem has (problems without any are left out)."""
    ids = list(problem_ids)
    counts: dict[int, int] = {}
    with ledger.read() as s:
        for start in range(0, len(ids), CHUNK):
            counts.update(s.execute(
                select(Evidence.problem_id, func.count()).where(
                    Evidence.problem_id.in_(ids[start:start + CHUNK]))
                .group_by(Evidence.problem_id)).all())  # type: ignore[arg-type]
    return counts


def evidence_data(ledger: Ledger, evidence_id: int) -> tuple[EvidenceRow, bytes]:
    """One file's row and bytes (to open, save as, or export)."""
    with ledger.read() as s:
        e = s.get(Evidence, evidence_id)
        if e is None:
            raise NotFoundError(f"佐证材料（编号 {evidence_id}）不存在，可能已被删除。")
        data = s.scalar(select(EvidenceBlob.data).where(EvidenceBlob.sha256 == e.sha256))
        return _row(e), bytes(data or b"")


def remove_evidence(ledger: Ledger, evidence_id: int) -> EvidenceRow:
    """Detach a file; its bytes go too unless another problem still has the same file."""
    with ledger.write() as s:
        e = s.get(Evidence, evidence_id)
        if e is None:
            raise NotFoundError(f"佐证材料（编号 {evidence_id}）不存在，可能已被删除。")
        row = _row(e)
        record(s, "evidence", e.id, e.problem_id, "delete", "name", e.name, "")
        s.delete(e)
        s.flush()
        if not s.scalar(select(func.count()).where(Evidence.sha256 == row.sha256)):
            blob = s.get(EvidenceBlob, row.sha256)
            if blob is not None:
                s.delete(blob)
        return row


def export_evidence(ledger: Ledger, problem_id: int, folder: Path) -> list[Path]:
    """Write a problem's files into ``folder`` under cleaned, unique names."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    taken: set[str] = set()
    for row in list_evidence(ledger, problem_id):
        _, data = evidence_data(ledger, row.id)
        name = unique_name(safe_file_name(row.name), taken)
        target = folder / name
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # never a half-written file under the real name
        written.append(target)
    return written


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or name(2), name(3)… when a file of that name (any case) is already there."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}({n}){'.' + ext if dot else ''}"
    taken.add(candidate.lower())
    return candidate
