"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, its own port
and socket folder, run as an unprivileged user when the tests run as root (CI does)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

TEMPLATE = "rectify_template"


def server_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian's /usr/lib/postgresql/N/bin), or None."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name
                   .isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One cluster: start(), database URLs, fresh databases cloned from a migrated template."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        # Not under pytest's own tmp folder: that is 0700 root, so 'nobody' could not enter it.
        self.root = Path(tempfile.mkdtemp(prefix="rectify-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.port = _free_port()
        self.superuser = "rectify_admin"
        self._run_as: list[str] = []
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: hand the folder to 'nobody' and run as it.
            nobody = pwd.getpwnam("nobody")
            os.chmod(self.root, 0o755)
            for d in (self.data, self.sock):
                d.mkdir()
                os.chown(d, nobody.pw_uid, nobody.pw_gid)
            os.chown(self.root, nobody.pw_uid, nobody.pw_gid)
            self._run_as = ["runuser", "-u", "nobody", "--"]
        else:
            self.sock.mkdir()

    def _cmd(self, name: str, *args: str) -> list[str]:
        return [*self._run_as, str(self.bin_dir / name), *args]

    def start(self) -> None:
        """initdb (trust logins on this machine only) and start the server; waits until up."""
        subprocess.run(self._cmd("initdb", "-D", str(self.data), "-U", self.superuser,
                                 "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
                       check=True, capture_output=True, cwd="/")
        opts = (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "-o", opts, "-w", "-t", "60",
                                 "-l", str(self.data / "server.log"), "start"),
                       check=True, capture_output=True, cwd="/")

    def stop(self) -> None:
        """Stop the server (fast mode) and delete its folder."""
        try:
            subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w",
                                     "stop"), capture_output=True, cwd="/", timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str, user: str | None = None) -> str:
        """The ledger URL of ``database`` on this server (TCP on 127.0.0.1)."""
        return f"postgresql://{user or self.superuser}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        """Run one statement as the superuser outside a transaction (CREATE DATABASE …)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.superuser,
                             dbname=database, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

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

    def drop(self, name: str) -> None:
        """Drop a test database, disconnecting anyone still on it."""
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


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
