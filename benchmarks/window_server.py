"""Run in a fresh interpreter by bench_server: benchmarks.window_driver on a server ledger.
The driver times its raw baseline queries through sqlite3; here the very same SQL goes to the
server through a bare psycopg connection instead, so the window is compared with the server."""

from __future__ import annotations

import sys
from typing import Any

from benchmarks import window_driver


class _Raw:
    """The part of a sqlite3 connection the driver uses, on a psycopg connection."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> Any:
        """Run ``sql`` (sqlite3's ? placeholders) and return the cursor."""
        return self.conn.execute(sql.replace("?", "%s"), args)  # type: ignore[arg-type]

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


class _Connector:
    """Stands in for the sqlite3 module inside the driver: connect() reaches the server."""

    def __init__(self, url: str) -> None:
        self.url = url

    def connect(self, *_args: Any, **_kwargs: Any) -> _Raw:
        """A bare connection to the server ledger, whatever file name the driver built."""
        return _Raw(self.url)


def main() -> None:
    """``window_server MODE URL``: the driver's modes, its raw queries on the server."""
    if len(sys.argv) > 2:
        window_driver.sqlite3 = _Connector(sys.argv[2])  # type: ignore[assignment]
    window_driver.main()


if __name__ == "__main__":
    main()
