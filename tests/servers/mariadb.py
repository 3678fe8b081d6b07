"""A real MariaDB server for tests: Debian's `mariadb-server` (installed by tests/system.py when
missing), a throwaway data directory in a temp dir, listening on 127.0.0.1:<free port> only, run as
the `mysql` system account. The suite seeds it as root over a private Unix socket; scans log in
over TCP as `auditor`, with its own password and only the privileges a test grants.

    def test_x(mariadb_server):
        mariadb_server.create_database("hr", ["CREATE TABLE t (...)", f"GRANT SELECT ON hr.* TO {AUDITOR}"])
        url = f"{mariadb_server.url}/hr"        # mysql://auditor@127.0.0.1:<port>/hr
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

AUDITOR = "'auditor'@'127.0.0.1'"
PACKAGES = ("mariadb-server",)


@dataclass
class MariadbServer:
    port: int
    socket: Path
    password: str  # the auditor's
    start_seconds: float = 0.0

    @property
    def url(self) -> str:
        return f"mysql://auditor@127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {"PII_AUDIT_MYSQL_PASSWORD": self.password}

    def connect(self, database: str | None = None) -> Any:
        import pymysql

        return pymysql.connect(
            unix_socket=str(self.socket), user="root", database=database, charset="utf8mb4", autocommit=True
        )

    def create_database(self, name: str, statements: Sequence[str | tuple[str, Sequence[Any]]]) -> None:
        """`statements` run as root in a new database (grants included: the auditor has none by default)."""
        with self.connect() as conn, conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        with self.connect(name) as conn, conn.cursor() as cursor:
            for statement in statements:
                if isinstance(statement, tuple):
                    cursor.execute(statement[0], statement[1])
                else:
                    cursor.execute(statement)
            cursor.execute("SHOW TABLES")
            for (table,) in cursor.fetchall():
                cursor.execute(f"ANALYZE TABLE `{table}`")  # estimated row counts for --db-sample notes
                cursor.fetchall()


def _unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the run requires system services (PII_AUDIT_REQUIRE_SYSTEM_DEPS=1, as in CI)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def running_mariadb() -> Iterator[MariadbServer]:
    if os.geteuid() != 0:
        _unavailable("the MariaDB test server is started as root (it runs as the mysql account)")
    mariadbd = require_debian_packages(list(PACKAGES), binary="mariadbd")
    install_db = which("mariadb-install-db") or which("mysql_install_db")
    if install_db is None:
        pytest.fail("mariadb-server is installed but mariadb-install-db is missing")
    account = pwd.getpwnam("mysql")
    base = Path(tempfile.mkdtemp(prefix="pii-audit-mariadb-"))
    os.chown(base, account.pw_uid, account.pw_gid)
    started = time.monotonic()
    subprocess.run(
        [
            install_db,
            "--no-defaults",
            f"--datadir={base / 'data'}",
            "--user=mysql",
            "--auth-root-authentication-method=socket",
            "--skip-test-db",
        ],
        check=True,
        capture_output=True,
        cwd=base,
        timeout=120,
    )
    port, socket = free_port(), base / "mysqld.sock"
    proc = subprocess.Popen(
        [
            mariadbd,
            "--no-defaults",
            f"--datadir={base / 'data'}",
            "--user=mysql",
            f"--socket={socket}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            f"--pid-file={base / 'mysqld.pid'}",
            f"--log-error={base / 'error.log'}",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=16M",
            "--innodb-flush-log-at-trx-commit=0",
            "--skip-name-resolve",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(port, timeout=60, alive=lambda: proc.poll() is None)
        password = secrets.token_urlsafe(12)
        server = MariadbServer(port, socket, password)
        with server.connect() as conn, conn.cursor() as cursor:
            cursor.execute(f"CREATE USER {AUDITOR} IDENTIFIED BY %s", [password])
        server.start_seconds = time.monotonic() - started
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def mariadb_server(pytestconfig: pytest.Config) -> Iterator[MariadbServer]:
    with running_mariadb() as server:
        with visible(pytestconfig):
            say(f"MariaDB ready on 127.0.0.1:{server.port} in {server.start_seconds:.2f} s")
        yield server
