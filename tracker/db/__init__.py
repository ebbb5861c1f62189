"""Storage: the SQLite file, its schema versions and its backups."""
