"""Excel in and out: the printable ledger export, the reminder notice, and the importers."""
