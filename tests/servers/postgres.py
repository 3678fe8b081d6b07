"""A real PostgreSQL server for tests: Debian's `postgresql` (installed by tests/system.py when
missing), a throwaway cluster in a temp dir, listening on 127.0.0.1:<free port> only, run as the
`postgres` system account (the server refuses root). A superuser `admin` seeds it; the scans log
in as `auditor`, a plain role with its own password.

    def test_x(postgres_server):
        postgres_server.create_database("hr", ["CREATE TABLE t (...)", "INSERT ..."])
        url = f"{postgres_server.url}/hr"       # postgresql://auditor@127.0.0.1:<port>/hr
        # the password is in postgres_server.env
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.servers import free_port, say, visible, wait_for_port
from tests.system import REQUIRE_ENV, require_debian_packages, which

AUDITOR = "auditor"


@dataclass
class PostgresServer:
    port: int
    admin_password: str
    password: str  # the auditor's
    start_seconds: float = 0.0

    @property
    def url(self) -> str:
        return f"postgresql://{AUDITOR}@127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {"PII_AUDIT_POSTGRES_PASSWORD": self.password}

    def connect(self, database: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="admin",
            password=self.admin_password,
            dbname=database,
            autocommit=True,
        )

    def create_database(self, name: str, statements: Sequence[str | tuple[str, Sequence[Any]]]) -> None:
        """A database the auditor may connect to, with `statements` run in it as the superuser;
        SELECT on every table of `public` is granted to the auditor afterwards unless revoked later."""
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        with self.connect(name) as conn:
            conn.execute(f"GRANT USAGE ON SCHEMA public TO {AUDITOR}")
            conn.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {AUDITOR}")
            for statement in statements:
                if isinstance(statement, tuple):
                    conn.execute(statement[0], statement[1])
                else:
                    conn.execute(statement)
            conn.execute("ANALYZE")  # estimated row counts for --db-sample notes


def _server_binaries() -> tuple[str, str]:
    """initdb and postgres: Debian keeps them in /usr/lib/postgresql/<version>/bin."""
    found = which("postgres") or which("pg_ctlcluster")
    if found is None:
        require_debian_packages(["postgresql"], binary="pg_ctlcluster")
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    if versions:
        return str(versions[-1].with_name("initdb")), str(versions[-1])
    postgres = which("postgres")
    initdb = which("initdb")
    if not postgres or not initdb:
        pytest.fail("postgresql is installed but no postgres binary was found")
    return initdb, postgres


def _account() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        _unavailable("no postgres system account (install Debian's postgresql)")


def _unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the run requires system services (PII_AUDIT_REQUIRE_SYSTEM_DEPS=1, as in CI)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    if os.geteuid() != 0:
        _unavailable("the PostgreSQL test server is started as root (it runs as the postgres account)")
    initdb, postgres = _server_binaries()
    account = _account()
    base = Path(tempfile.mkdtemp(prefix="pii-audit-pg-"))
    os.chown(base, account.pw_uid, account.pw_gid)
    admin_password, password = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    pwfile = base / "pw"
    pwfile.write_text(admin_password + "\n")
    os.chown(pwfile, account.pw_uid, account.pw_gid)
    as_postgres: dict[str, Any] = {"user": account.pw_uid, "group": account.pw_gid, "cwd": base}
    started = time.monotonic()
    subprocess.run(
        [
            initdb,
            "-D",
            str(base / "data"),
            "-U",
            "admin",
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        **as_postgres,
    )
    port = free_port()
    proc = subprocess.Popen(
        [
            postgres,
            "-D",
            str(base / "data"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-k",
            str(base),
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "shared_buffers=16MB",
            "-c",
            "max_connections=40",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        **as_postgres,
    )
    try:
        wait_for_port(port, timeout=60, alive=lambda: proc.poll() is None)
        server = PostgresServer(port, admin_password, password, time.monotonic() - started)
        for _ in range(100):  # the port opens a moment before the server accepts logins
            try:
                with server.connect() as conn:
                    conn.execute(f"CREATE ROLE {AUDITOR} LOGIN PASSWORD %s".replace("%s", f"'{password}'"))
                break
            except Exception as exc:
                if "starting up" not in str(exc):
                    raise
                time.sleep(0.1)
        server.start_seconds = time.monotonic() - started
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server(pytestconfig: pytest.Config) -> Iterator[PostgresServer]:
    with running_postgres() as server:
        with visible(pytestconfig):
            say(f"PostgreSQL ready on 127.0.0.1:{server.port} in {server.start_seconds:.2f} s")
        yield server
