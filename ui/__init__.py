"""整改台账 window: PySide6 only; talks to the ledger through tracker.services."""
