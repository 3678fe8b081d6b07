"""A real SFTP server for tests: asyncssh in a thread, on 127.0.0.1:<free port>, password login,
sessions chrooted to a temp dir. Its host key is written to a known_hosts file for the client.

    def test_x(sftp_server):
        (sftp_server.root / "a.txt").write_text("...")
        # url: sftp_server.url ; env for pii-audit: sftp_server.env
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.servers import free_port, say, visible


@dataclass
class SftpServer:
    host: str
    port: int
    user: str
    password: str
    root: Path  # what the server shows as `/`
    known_hosts: Path
    start_seconds: float = 0.0

    @property
    def url(self) -> str:
        return f"sftp://{self.user}@{self.host}:{self.port}/"

    @property
    def env(self) -> dict[str, str]:
        return {"PII_AUDIT_SFTP_PASSWORD": self.password, "PII_AUDIT_SFTP_KNOWN_HOSTS": str(self.known_hosts)}


@contextlib.contextmanager
def running_sftp() -> Iterator[SftpServer]:
    asyncssh: Any = pytest.importorskip("asyncssh", reason="asyncssh is not installed (it is in the dev extra)")
    base = Path(tempfile.mkdtemp(prefix="pii-audit-sftp-"))
    root = base / "root"
    root.mkdir()
    user, password, port = "auditor", f"Pw-{secrets.token_urlsafe(12)}", free_port()
    started = time.monotonic()
    key = asyncssh.generate_private_key("ssh-ed25519")
    known = base / "known_hosts"
    known.write_text(f"[127.0.0.1]:{port} {key.export_public_key().decode().strip()}\n")

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            return True

        def password_auth_supported(self) -> bool:
            return True

        def validate_password(self, username: str, pw: str) -> bool:
            return username == user and pw == password

    def sftp(chan: Any) -> Any:
        return asyncssh.SFTPServer(chan, chroot=str(root))

    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, Any] = {}

    def serve() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            holder["server"] = await asyncssh.create_server(
                Server, "127.0.0.1", port, server_host_keys=[key], sftp_factory=sftp, allow_scp=False
            )
            ready.set()

        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=serve, name="sftp-test-server", daemon=True)
    thread.start()
    try:
        if not ready.wait(15):
            raise RuntimeError("the SFTP test server did not start")
        yield SftpServer("127.0.0.1", port, user, password, root, known, time.monotonic() - started)
    finally:

        async def stop() -> None:
            server = holder.get("server")
            if server is not None:
                server.close()
                await server.wait_closed()

        if loop.is_running():
            asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def sftp_server(pytestconfig: pytest.Config) -> Iterator[SftpServer]:
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(running_sftp())
        with visible(pytestconfig):
            say(f"sftp server ready on 127.0.0.1:{server.port} in {server.start_seconds:.2f} s")
        yield server
