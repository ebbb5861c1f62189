"""整改台账 core: the ledger model, storage, services, import and export. Never imports Qt."""

__version__ = "0.1.0"
