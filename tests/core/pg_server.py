"""The tests' PostgreSQL server: a throwaway cluster (benchmarks/pg_cluster.py: initdb into a
temporary folder, its own port and socket folder, run as an unprivileged user when the tests
run as root, as CI does) plus a migrated template each test's fresh database is cloned from."""

from __future__ import annotations

import time
import uuid

from benchmarks.pg_cluster import PgCluster, free_port, server_bin_dir

TEMPLATE = "rectify_template"
_free_port = free_port  # the tests' name for it
__all__ = ["PgServer", "TEMPLATE", "_free_port", "server_bin_dir", "start_server"]


class PgServer(PgCluster):
    """The test cluster: fresh databases cloned from a migrated template."""

    def make_template(self) -> None:
        """A migrated empty ledger to clone: CREATE DATABASE … TEMPLATE takes ~50 ms, a fresh
        migration several hundred."""
        from tracker.db.engine import open_ledger

        self.admin(f"CREATE DATABASE {TEMPLATE}")
        open_ledger(self.url(TEMPLATE), user="测试员").close()

    def fresh_database(self) -> str:
        """A new database cloned from the template; returns its name."""
        name = "t_" + uuid.uuid4().hex[:12]
        for attempt in range(20):
            try:
                self.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
                return name
            except Exception as exc:  # the template is briefly busy while another clone runs
                if "being accessed" not in str(exc) or attempt == 19:
                    raise
                time.sleep(0.1)
        return name


def start_server() -> PgServer | None:
    """A started server with its template, or None when no PostgreSQL binary is installed."""
    bin_dir = server_bin_dir()
    if bin_dir is None:
        return None
    server = PgServer(bin_dir)
    try:
        server.start()
        server.make_template()
    except BaseException:
        server.stop()
        raise
    return server
