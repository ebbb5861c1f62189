"""Undo and redo: every edit of problems is stored as their snapshots before and after, and
undoing (or redoing) restores one side through restore_problem / delete_problem."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from PySide6.QtGui import QUndoCommand

from tracker.db.engine import Ledger
from tracker.domain import ProblemRow
from tracker.errors import TrackerError
from tracker.services.problems import delete_problem, restore_problem

# (before, after) for one problem; None before = it was created, None after = it was deleted.
Pair = tuple[ProblemRow | None, ProblemRow | None]
# Shows progress for long undo/redo: stepper(label, total) -> context yielding step(i).
Stepper = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]
# Told after every undo/redo: the ids touched and the error that stopped it, if any.
Notify = Callable[[list[int], TrackerError | None], None]
# The version of each problem as this window last wrote it, shared by all commands of a stack:
# a stored version that differs means someone else saved since, and nothing is overwritten.
Versions = dict[int, int | None]


def pair_id(pair: Pair) -> int:
    """The problem id a pair is about."""
    row = pair[0] or pair[1]
    assert row is not None
    return row.id


class SnapshotCommand(QUndoCommand):
    """One user edit of one or more problems; the first redo is skipped (already done)."""

    def __init__(self, ledger: Ledger, text: str, pairs: list[Pair], versions: Versions,
                 notify: Notify, stepper: Stepper) -> None:
        super().__init__(text)
        self.ledger = ledger
        self.pairs = pairs
        self._versions = versions
        self._notify = notify
        self._stepper = stepper
        self._done = True

    def ids(self) -> list[int]:
        """The problems this command changes."""
        return [pair_id(p) for p in self.pairs]

    def redo(self) -> None:
        if self._done:
            return  # the edit itself was the first "redo"
        self._apply(after=True)

    def undo(self) -> None:
        self._apply(after=False)

    def _apply(self, *, after: bool) -> None:
        error: TrackerError | None = None
        label = self.text()
        with self._stepper(label, len(self.pairs)) as step:
            try:
                for i, pair in enumerate(self.pairs):
                    self._restore(pair_id(pair), pair[1] if after else pair[0])
                    step(i + 1)
            except TrackerError as exc:
                error = exc
        self._done = after
        if error is not None:
            # The ledger moved on (edited elsewhere, file locked): this step can no longer be
            # taken back safely, so it leaves the stack instead of overwriting newer work.
            self.setObsolete(True)
        self._notify(self.ids(), error)

    def _restore(self, problem_id: int, target: ProblemRow | None) -> None:
        current = self._versions.get(problem_id)
        if target is None:
            if current is not None:
                delete_problem(self.ledger, problem_id, expected_version=current)
            self._versions[problem_id] = None
        else:
            row = restore_problem(self.ledger, target, expected_version=current,
                                  expect_absent=current is None)
            self._versions[problem_id] = row.version


class CallbackCommand(QUndoCommand):
    """An edit of a managed list (unit, source, category) with its own undo and redo calls;
    the first redo is skipped (already done)."""

    def __init__(self, text: str, undo_fn: Callable[[], object],
                 redo_fn: Callable[[], object], notify: Notify) -> None:
        super().__init__(text)
        self._undo_fn = undo_fn
        self._redo_fn = redo_fn
        self._notify = notify
        self._done = True

    def redo(self) -> None:
        if self._done:
            return
        self._run(self._redo_fn)
        self._done = True

    def undo(self) -> None:
        self._run(self._undo_fn)
        self._done = False

    def _run(self, fn: Callable[[], object]) -> None:
        try:
            fn()
        except TrackerError as exc:
            self.setObsolete(True)  # the list changed elsewhere: leave rather than guess
            self._notify([], exc)
            return
        self._notify([], None)
