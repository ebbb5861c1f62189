"""Unit cells as clerks write them. The rule lives in tracker.units (the services store co-units
by it and the `--unit` filter matches by it); the importer reads cells through these names."""

from __future__ import annotations

from tracker.units import (
    UnitCell,
    canonical_co_units,
    fold_name,
    merged_co,
    split_co_units,
    split_units,
)

__all__ = ["UnitCell", "canonical_co_units", "fold_name", "merged_co", "split_co_units",
           "split_units"]
