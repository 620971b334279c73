"""A throwaway PostgreSQL server for the tests: initdb into a temp dir, unix socket only.

The server belongs to an unprivileged user when the tests run as root (initdb refuses root),
trusts every local connection, runs with fsync off and is stopped (and its folder removed)
afterwards. ``find_bindir()`` returns None when the server binaries are not installed, so the
tests that need PostgreSQL can skip saying why; ``make test`` installs them.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path

SUPERUSER = "postgres"
UNPRIVILEGED = "nobody"  # owns the data folder when the tests run as root


def find_bindir() -> Path | None:
    """The folder holding initdb/pg_ctl/postgres: $PG_BINDIR, then the newest Debian install."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    if pg_config := shutil.which("pg_config"):
        try:
            found = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            )
            candidates.append(found.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    for candidate in candidates:
        if candidate and all((Path(candidate) / b).is_file() for b in ("initdb", "pg_ctl")):
            return Path(candidate)
    return None


def _version(path: str) -> tuple[int, ...]:
    digits = Path(path).parent.name
    return tuple(int(part) for part in digits.split(".") if part.isdigit())


class PostgresError(RuntimeError):
    """The server could not be started (the message holds its log)."""


class PostgresServer:
    """One server in a temp dir; ``url(name)`` is a libpq URL for one of its databases."""

    def __init__(self, bindir: Path | None = None) -> None:
        bindir = bindir or find_bindir()
        if bindir is None:
            raise PostgresError("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin)")
        self.bindir = bindir
        # /tmp: every user can reach it, and the socket path stays short (107 bytes at most)
        base = "/tmp" if os.access("/tmp", os.W_OK) else None
        self.root = Path(tempfile.mkdtemp(prefix="diplograph-pg-", dir=base))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._user = UNPRIVILEGED if os.geteuid() == 0 else None
        self._names = count(1)
        self.running = False
        self.timings: dict[str, float] = {}  # seconds, e.g. "start", filled in by the fixtures

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> PostgresServer:
        began = time.perf_counter()
        if self._user:
            try:
                entry = pwd.getpwnam(self._user)
            except KeyError:
                raise PostgresError(f"no user {self._user!r} to run the server as") from None
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        os.chmod(self.root, 0o755)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = " ".join(
            [
                "-c listen_addresses=''",
                f"-c unix_socket_directories='{self.root}'",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=100",
            ]
        )
        try:
            self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
            )
        except PostgresError as exc:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise PostgresError(f"{exc}\n{log}") from exc
        self.running = True
        self.timings["start"] = time.perf_counter() - began
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder; safe to call twice."""
        if self.running:
            self.running = False
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            except PostgresError:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self._user:
            command = ["runuser", "-u", self._user, "--", *command]
        # cwd: the server user may not be able to enter the caller's folder
        result = subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            raise PostgresError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")

    # -- databases ----------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        """``postgresql://postgres@/DATABASE?host=SOCKET_DIR`` (what ``--db`` takes)."""
        return f"postgresql://{SUPERUSER}@/{database}?host={self.root}"

    def execute(self, *statements: str) -> None:
        """Run statements outside a transaction (CREATE/DROP DATABASE) as the superuser."""
        import psycopg

        with psycopg.connect(
            dbname="postgres", user=SUPERUSER, host=str(self.root), autocommit=True
        ) as connection:
            for statement in statements:
                connection.execute(statement)

    def new_name(self, prefix: str = "test") -> str:
        """A database name not used before on this server."""
        return f"{prefix}_{os.getpid()}_{next(self._names)}"

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        """Create a database (copying ``template`` when given); return its name."""
        name = name or self.new_name()
        suffix = f" TEMPLATE {_ident(template)}" if template else ""
        self.execute(f"CREATE DATABASE {_ident(name)}{suffix}")
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {_ident(name)} WITH (FORCE)")


def _ident(name: str) -> str:
    """A database name as a quoted identifier (names are ours, but quote them anyway)."""
    return '"' + name.replace('"', '""') + '"'


if __name__ == "__main__":  # a quick check: python tests/postgres.py
    began = time.perf_counter()
    with PostgresServer() as server:
        print(f"started in {time.perf_counter() - began:.2f}s: {server.url()}")
        name = server.create_database()
        server.drop_database(name)
    print(f"started and stopped in {time.perf_counter() - began:.2f}s")
