"""Other people's changes on a server ledger, as they commit: a trigger NOTIFYs the id of
every problem row written, and a ChangeListener (its own connection) collects them so the
window can refresh those rows and the counts. SQLite has no counterpart: one file, one
office PC, and the version check already refuses a stale save."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

CHANNEL = "rectify_changes"
ALL = -1  # "reload everything": a payload we could not read as an id

# Row-level on problem only: every change to a measure, note or close-out rewrites its
# problem's cached status in the same transaction (tracker.rollup), so the problem row is
# the one place every edit shows. NOTIFY is delivered at commit and duplicates within one
# transaction are folded by the server.
_NOTIFY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION rectify_notify_problem() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
  RETURN NULL;
END $$;
"""


def install_notify(conn: Connection) -> None:
    """(Re)create the NOTIFY trigger on the problem table."""
    conn.execute(text(_NOTIFY_FUNCTION))
    conn.execute(text(
        "CREATE OR REPLACE TRIGGER rectify_notify AFTER INSERT OR UPDATE OR DELETE ON problem"
        " FOR EACH ROW EXECUTE FUNCTION rectify_notify_problem()"))


def _ids(payloads: Iterable[str]) -> set[int]:
    out: set[int] = set()
    for payload in payloads:
        try:
            out.add(int(payload))
        except ValueError:
            out.add(ALL)
    return out


class ChangeListener:
    """LISTENs on a server ledger; poll() returns the problem ids changed since last asked."""

    def __init__(self, url: URL) -> None:
        import psycopg

        from tracker.db.server import CONNECT_TIMEOUT_S, keyring_password

        password = url.password or keyring_password(url)
        self._conn = psycopg.connect(
            host=url.host, port=url.port, dbname=url.database, user=url.username,
            password=str(password) if password else None, autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S, application_name="rectify-listen")
        self._conn.execute(f"LISTEN {CHANNEL}")

    def poll(self, timeout: float = 0.0) -> set[int]:
        """Changed problem ids (ALL among them when a payload was unreadable); waits up to
        ``timeout`` seconds for the first one, then takes whatever else has arrived."""
        payloads = [n.payload for n in self._conn.notifies(timeout=timeout, stop_after=1)]
        if payloads:
            payloads += [n.payload for n in self._conn.notifies(timeout=0.05)]
        return _ids(payloads)

    def close(self) -> None:
        """Stop listening and close the connection."""
        self._conn.close()
