"""What a script needs to find ids without --json: names matched the same way everywhere
(exact after trimming spaces and full-width/half-width differences, with the closest names
suggested), the managed lists with their problem counts, and numbered lines for `list`."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from tracker import clock, rules
from tracker.db.engine import Ledger
from tracker.db.orm import Category, Problem, Source, Unit
from tracker.domain import ProblemFilter, SourceRow, Status
from tracker.errors import NotFoundError
from tracker.rules import source_label
from tracker.services.queries import ProblemLine, filter_clause, ledger_order
from tracker.services.query_filter import unit_problem_counts


@dataclass(frozen=True)
class NamedCount:
    """A unit, source or category: its id, name and how many problems it has."""

    id: int
    name: str
    problems: int


def normal_name(text: str) -> str:
    """A name as compared: NFKC folds full-width letters, digits and brackets to half-width;
    spaces (half- and full-width) anywhere are dropped, as clerks type them at random."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def suggestions(wanted: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The existing names closest to ``wanted``: those containing it (or contained in it)
    first, then the most similar ones."""
    key = normal_name(wanted)
    pool = {normal_name(n): n for n in names if n}
    near = [n for k, n in pool.items() if key and (key in k or k in key)]
    near.sort(key=lambda n: abs(len(normal_name(n)) - len(key)))
    similar = [pool[k] for k in difflib.get_close_matches(key, list(pool), n=limit, cutoff=0.4)]
    out: list[str] = []
    for n in near + similar:
        if n not in out:
            out.append(n)
    return out[:limit]


def not_found(what: str, wanted: str, names: Iterable[str], listing: str) -> NotFoundError:
    """The one-line refusal every command gives for an unknown name."""
    close = suggestions(wanted, names)
    hint = f"是否指：{'、'.join(close)}？" if close else f"用 rectify {listing} 查看已有{what}。"
    return NotFoundError(f"台账中没有{what}“{wanted.strip()}”。{hint}")


def match_unit(ledger: Ledger, wanted: str) -> str:
    """The stored name of the unit ``wanted`` names, or NotFoundError with suggestions."""
    names = unit_names(ledger)
    with ledger.read() as s:
        # A unit that only co-operates (配合单位) is no row of the unit table but `--unit` finds it.
        names += [n for n, _ in unit_problem_counts(s) if n not in set(names)]
    key = normal_name(wanted)
    for name in names:
        if normal_name(name) == key:
            return name
    raise not_found("单位", wanted, names, "units")


def match_source(ledger: Ledger, wanted: str, sources: list[SourceRow] | None = None
                 ) -> SourceRow:
    """The source ``wanted`` names (its 编号, title, display name or 文号)."""
    from tracker.services.reference import list_sources

    rows = list_sources(ledger) if sources is None else sources
    key = normal_name(wanted)
    hits = [s for s in rows if key in {str(s.id), normal_name(s.title), normal_name(s.display),
                                       normal_name(s.doc_number) or None}]
    if len(hits) > 1:
        ids = "、".join(f"{s.id}（{s.year or '无年份'}）" for s in hits)
        raise NotFoundError(f"有 {len(hits)} 个问题来源都叫“{wanted.strip()}”，请用编号指定：{ids}。")
    if not hits:
        raise not_found("问题来源", wanted, [s.display for s in rows], "sources")
    return hits[0]


def match_category(ledger: Ledger, wanted: str) -> NamedCount:
    """The category ``wanted`` names (its 编号 or name)."""
    rows = category_counts(ledger)
    key = normal_name(wanted)
    for c in rows:
        if key in (str(c.id), normal_name(c.name)):
            return c
    raise not_found("问题类别", wanted, [c.name for c in rows], "categories")


def unit_names(ledger: Ledger) -> list[str]:
    """Every unit's name."""
    with ledger.read() as s:
        return list(s.scalars(select(Unit.name).order_by(Unit.name)))


def unit_counts(ledger: Ledger) -> list[NamedCount]:
    """Every unit with the number of problems `list --unit` lists for it (it leads the problem
    or a measure, or co-operates on either); units with no problem count 0."""
    with ledger.read() as s:
        counts = dict(unit_problem_counts(s))
        ids: dict[str, int] = {n: i for i, n in s.execute(select(Unit.id, Unit.name))}
        # A unit named only as a 配合单位 has no row of its own: id 0.
        return [NamedCount(ids.get(name, 0), name, counts.get(name, 0))
                for name in sorted(set(ids) | set(counts))]


def category_counts(ledger: Ledger) -> list[NamedCount]:
    """Categories in their managed order with their number of problems."""
    with ledger.read() as s:
        counts = dict(s.execute(select(Problem.category_id, func.count())
                                .group_by(Problem.category_id)).all())
        q = select(Category.id, Category.name).order_by(Category.position, Category.id)
        return [NamedCount(cid, name, counts.get(cid, 0)) for cid, name in s.execute(q)]


def problem_titles(ledger: Ledger, ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Sequence number and description of each problem still stored, by id."""
    wanted = sorted({i for i in ids if i is not None})
    out: dict[int, tuple[int, str]] = {}
    with ledger.read() as s:
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            q = select(Problem.id, Problem.seq, Problem.description).where(Problem.id.in_(chunk))
            out.update({pid: (seq, text) for pid, seq, text in s.execute(q)})
    return out


def numbered_lines(ledger: Ledger, flt: ProblemFilter, as_of: dt.date | None = None
                   ) -> list[tuple[int, ProblemLine]]:
    """`list`'s lines with each problem's 编号 (id), in the table's order (source, 序号)."""
    day = as_of or flt.as_of or clock.today()
    statuses = {st.value: st for st in Status}
    with ledger.read() as s:
        labels = {sid: source_label(title, kind, year) for sid, title, kind, year
                  in s.execute(select(Source.id, Source.title, Source.kind, Source.year))}
        q = (select(Problem.id, Problem.seq, Problem.source_id, Problem.description, Unit.name,
                    Problem.deadline_text, Problem.status,
                    rules.overdue_sql(Problem.open_deadline, day), Problem.measures_done,
                    Problem.measures_total)
             .select_from(Problem).outerjoin(Unit, Problem.lead_unit_id == Unit.id)
             .where(filter_clause(s, flt))
             .order_by(*ledger_order(ledger.dialect)))
        result = s.connection().execute(q)
        try:
            rows = result.cursor.fetchall()  # type: ignore[union-attr]
        finally:
            result.close()
    return [(r[0], ProblemLine(r[1], labels.get(r[2], ""), r[3], r[4] or "", r[5],
                               statuses[r[6]], bool(r[7]), r[8], r[9])) for r in rows]
