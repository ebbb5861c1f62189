"""A throwaway PostgreSQL cluster: initdb into a temporary folder, its own port and socket
folder, run as the unprivileged user 'nobody' when we run as root (PostgreSQL refuses root).
The tests (tests/core/pg_server.py) and the server benchmarks (benchmarks/bench_server.py)
both start one."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def server_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian's /usr/lib/postgresql/N/bin), or None."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name
                   .isdigit() else 0)
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    """A TCP port nobody listens on right now (on 127.0.0.1)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The tests trade durability for speed; a benchmark of a real office server keeps the
# server's default durable settings (fsync, synchronous commit, full page writes).
FAST_UNSAFE = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class PgCluster:
    """One cluster: start(), stop(), database URLs and superuser statements."""

    def __init__(self, bin_dir: Path, durable: bool = False) -> None:
        self.bin_dir = bin_dir
        self.durable = durable
        # Not under pytest's own tmp folder: that is 0700 root, so 'nobody' could not enter it.
        self.root = Path(tempfile.mkdtemp(prefix="rectify-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.port = free_port()
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
        opts = (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
                f"{'' if self.durable else FAST_UNSAFE} -c max_connections=200")
        subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "-o", opts, "-w", "-t", "60",
                                 "-l", str(self.data / "server.log"), "start"),
                       check=True, capture_output=True, cwd="/")

    def stop(self) -> None:
        """Stop the server (immediate mode) and delete its folder."""
        try:
            subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w",
                                     "stop"), capture_output=True, cwd="/", timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str, user: str | None = None) -> str:
        """The ledger URL of ``database`` on this server (TCP on 127.0.0.1)."""
        return f"postgresql://{user or self.superuser}@127.0.0.1:{self.port}/{database}"

    def connect_args(self, database: str) -> dict[str, object]:
        """psycopg.connect() keywords for ``database`` as the superuser (bare baselines)."""
        return {"host": "127.0.0.1", "port": self.port, "user": self.superuser,
                "dbname": database}

    def admin(self, sql: str, database: str = "postgres") -> None:
        """Run one statement as the superuser outside a transaction (CREATE DATABASE …)."""
        import psycopg

        args = self.connect_args(database)
        with psycopg.connect(autocommit=True, **args) as conn:  # type: ignore[arg-type]
            conn.execute(sql)  # type: ignore[arg-type]

    def drop(self, name: str) -> None:
        """Drop a database, disconnecting anyone still on it."""
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_cluster(durable: bool = False) -> PgCluster | None:
    """A started cluster, or None when no PostgreSQL binary is installed."""
    bin_dir = server_bin_dir()
    if bin_dir is None:
        return None
    cluster = PgCluster(bin_dir, durable=durable)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
