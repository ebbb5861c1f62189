"""What `rectify list` writes: the table from the list's tuples, and `list --json` built from
the driver's tuples a chunk at a time (tracker.services.list_read). The JSON has the shape
ledger_cmds.problem_json gives a ProblemRow (which serves as-of days and server ledgers);
tests/core/test_list_fast.py holds the two to the same bytes."""

from __future__ import annotations

import datetime as dt
import json
import sys
from json.encoder import encode_basestring, encode_basestring_ascii
from collections.abc import Iterable
from typing import Any

from tracker import rules
from tracker.cli.common import Clipped, print_table, width, write_lines
from tracker.closeout_model import ExtensionRow
from tracker.domain import Status
from tracker.services.list_read import JsonChunk, ListRows, day

LIST_HEADERS = ["编号", "序号", "问题来源", "存在问题", "牵头单位", "整改时限", "状态", "进度"]
LIST_WIDTHS = [6, 4, 16, 40, 12, 14, 16, 5]
_STATUSES = {st.value: st for st in Status}


def write_list(found: ListRows) -> None:
    """The list as a table on stdout, and its count."""
    rows = found.rows
    # Source and unit columns are as wide as their longest name: --source and --unit must be
    # copyable from the table.
    source_ids = {r[2] for r in rows}
    unit_ids = {r[4] for r in rows}
    widths = list(LIST_WIDTHS)
    widths[2] = max([width(found.sources.get(i, "")) for i in source_ids] + [widths[2]])
    widths[4] = max([width(found.units.get(i, "")) for i in unit_ids] + [widths[4]])
    if rows:  # the 编号 column is never cut
        pids = [r[0] for r in rows]
        widths[0] = max(widths[0], len(str(max(pids))), len(str(min(pids))))
    print_table(LIST_HEADERS, [], widths)
    _, seq, source, text, unit, due, state, done = (Clipped(w) for w in widths)
    # Each source's and unit's clipped name by id, looked up once per row.
    sources = {i: source[found.sources.get(i, "")] for i in source_ids}
    units = {i: unit[found.units.get(i, "")] for i in unit_ids}
    id_cols = widths[0]  # wide enough for every id: padded, never clipped (nor cached)
    # 措施逾期: an open measure is past its deadline, even when the problem's last deadline
    # (the 整改时限 column) is still ahead, as the window says it. SQL's overdue: 1, 0 or NULL.
    words = {(s.value, late): ("措施逾期 " if late else "") + s.label
             for s in Status for late in (1, 0, None)}
    # One f-string per problem from per-column caches: 800,000 cells, no per-cell call.
    write_lines(
        f"{pid:<{id_cols}}  {seq[str(sq)]}  {sources[sid]}  {text[desc]}  {units[uid]}  "
        f"{due[dtext]}  {state[words[st, late]]}  {done[f'{d}/{t}']}".rstrip()
        for pid, sq, sid, desc, uid, dtext, st, late, d, t in rows)
    print(f"共 {len(rows)} 个问题")


_ISO: dict[Any, str] = {}


def _iso(text: Any) -> str:
    """A stored date's ISO day as a JSON value ("2026-11-23" or null), memoised."""
    if text is None:
        return "null"
    found = _ISO.get(text)
    if found is None:
        found = f'"{day(text).isoformat()}"'  # type: ignore[union-attr]
        if len(_ISO) < 100_000:
            _ISO[text] = found
    return found


def original_words(first: ExtensionRow) -> str:
    """A measure's deadline before its first extension, as list --json shows it: the text
    written then, else the date, else 未明确时限 (as queries reads MeasureRow's original)."""
    text = first.from_text or ("" if first.from_date else "未明确时限")
    return text or first.from_date.isoformat()  # type: ignore[union-attr]


class ChunkJson:
    """problem_json's text for the driver's tuples, written as JSON by hand: the keys are
    constants, each value goes through the json module's own encoders (strings with its C
    string encoder, anything else with json.dumps), so the bytes are json.dumps's. Building
    a dict per problem and measure for json.dumps took twice as long."""

    def __init__(self, as_of: dt.date, ascii_only: bool) -> None:
        self.as_of = as_of
        self.ascii_only = ascii_only
        self._str = encode_basestring_ascii if ascii_only else encode_basestring
        # An unknown status fails here as ProblemRow's Status(...) fails on the service path.
        self._status = {s.value: self._str(s.value) for s in Status}
        self._labels: dict[tuple[Any, ...], str] = {}

    def value(self, v: Any) -> str:
        """One value as json.dumps writes it."""
        if type(v) is str:
            return self._str(v)  # type: ignore[no-any-return]
        if type(v) is int:
            return str(v)
        return json.dumps(v, ensure_ascii=self.ascii_only)

    def _rows(self, rows: list[dict[str, object]]) -> str:
        return json.dumps(rows, ensure_ascii=self.ascii_only) if rows else "[]"

    def _measure(self, m: tuple[Any, ...], ext: list[ExtensionRow] | None) -> str:
        v, iso = self.value, _iso
        original = v(original_words(ext[0])) if ext else "null"
        extensions = self._rows([e.as_json() for e in ext]) if ext else "[]"
        return (f'{{"id": {v(m[0])}, "text": {v(m[2])}, "lead_unit": {v(m[3] or "")}, '
                f'"co_units": {v(m[4])}, "owner": {v(m[5])}, "deadline": {iso(m[6])}, '
                f'"deadline_text": {v(m[7])}, "status": {self._status[m[8]]}, '
                f'"percent": {v(m[9])}, "done_on": {iso(m[10])}, '
                f'"original_deadline": {original}, "extensions": {extensions}}}')

    def _source(self, t: tuple[Any, ...]) -> str:
        found = self._labels.get(t[2:5])
        if found is None:
            found = self._labels[t[2:5]] = self.value(rules.source_label(t[2], t[3], t[4]))
        return found

    def text(self, chunk: JsonChunk) -> str:
        """The chunk's problems as problem_json's objects, joined by ", " (no brackets)."""
        v, iso, as_of = self.value, _iso, self.as_of
        exts, no_measures = chunk.extensions, ()
        parts = []
        for t in chunk.problems:
            pid = t[0]
            measures = ", ".join([self._measure(m, exts.get(m[0]))
                                  for m in chunk.measures.get(pid, no_measures)])
            evidence = chunk.evidence.get(pid)
            late = "true" if rules.overdue(day(t[9]), as_of) else "false"
            created = t[14][:10] if isinstance(t[14], str) else t[14]  # the DATETIME's day
            parts.append(
                f'{{"id": {v(pid)}, "seq": {v(t[1])}, "source": {self._source(t)}, '
                f'"category": {v(t[5] or "")}, "description": {v(t[6])}, '
                f'"status": {self._status[t[7]]}, "deadline": {iso(t[8])}, "overdue": {late}, '
                f'"lead_unit": {v(t[10] or "")}, "owner": {v(t[11])}, "leader": {v(t[12])}, '
                f'"co_units": {v(t[13])}, "created_on": {iso(created)}, '
                f'"closed_on": {iso(t[15])}, "verifier": {v(t[16])}, '
                f'"evidence": {self._rows([e.as_json() for e in evidence]) if evidence else "[]"}, '
                f'"measures": [{measures}]}}')
        return ", ".join(parts)


def write_json_chunks(chunks: Iterable[JsonChunk], as_of: dt.date) -> None:
    """The --json array a chunk at a time: byte for byte what dump_json writes for the whole
    list (ledger_cmds.problem_json of each ProblemRow)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    writer = ChunkJson(as_of, ascii_only=not encoding.startswith("utf"))
    out = sys.stdout
    out.write("[")
    first = True
    for chunk in chunks:
        if not chunk.problems:
            continue
        text = writer.text(chunk)
        out.write(text if first else ", " + text)
        first = False
    out.write("]\n")
