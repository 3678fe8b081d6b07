"""A real WebDAV server for tests: WsgiDAV on cheroot (both from the package index), in a process of
its own on 127.0.0.1, HTTP basic auth for one throwaway user, serving a temp dir read-write; and a
second one over HTTPS with a certificate from a throwaway CA (for webdavs:// and PII_AUDIT_WEBDAV_CA).

    def test_x(webdav_server):
        root, url = webdav_server.subdir("x")    # a directory of its own
        (root / "a.txt").write_text("...")
        # url == "webdav://<user>@127.0.0.1:<port>/x"; the password is in webdav_server.env

`python -m tests.servers.webdav ROOT PORT [CERT KEY]` is the server itself (user and password from
the environment, never the command line).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.servers import free_port, say, visible, wait_for_port

USER_ENV, PASSWORD_ENV = "TEST_WEBDAV_USER", "TEST_WEBDAV_PASSWORD"


@dataclass
class WebdavServer:
    scheme: str
    port: int
    user: str
    password: str
    root: Path
    ca: Path | None = None  # the CA that signed an HTTPS server's certificate
    start_seconds: float = 0.0
    _dirs: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.user}@127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = {"PII_AUDIT_WEBDAV_USER": self.user, "PII_AUDIT_WEBDAV_PASSWORD": self.password}
        if self.ca is not None:
            env["PII_AUDIT_WEBDAV_CA"] = str(self.ca)
        return env

    def subdir(self, name: str) -> tuple[Path, str]:
        if name in self._dirs:
            raise ValueError(f"subdir {name!r} already handed out")
        self._dirs.add(name)
        path = self.root / name
        path.mkdir(parents=True)
        return path, f"{self.url}/{name}"


def _certificate(directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1 signed by it: (ca, cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pii-audit test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


@contextlib.contextmanager
def running_webdav(tls: bool = False) -> Iterator[WebdavServer]:
    base = Path(tempfile.mkdtemp(prefix="pii-audit-webdav-"))
    root = base / "root"
    root.mkdir()
    user, password = f"dav{secrets.token_hex(3)}", secrets.token_urlsafe(12)
    port = free_port()
    args = [sys.executable, "-m", "tests.servers.webdav", str(root), str(port)]
    ca = None
    if tls:
        ca, cert, key = _certificate(base)
        args += [str(cert), str(key)]
    started = time.monotonic()
    proc = subprocess.Popen(
        args,
        env={**os.environ, USER_ENV: user, PASSWORD_ENV: password},
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(port, timeout=30, alive=lambda: proc.poll() is None)
        scheme = "webdavs" if tls else "webdav"
        yield WebdavServer(scheme, port, user, password, root, ca, time.monotonic() - started)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def webdav_server(pytestconfig: pytest.Config) -> Iterator[WebdavServer]:
    with running_webdav() as server:
        with visible(pytestconfig):
            say(f"WsgiDAV ready on 127.0.0.1:{server.port} in {server.start_seconds:.2f} s")
        yield server


@pytest.fixture(scope="session")
def webdavs_server(pytestconfig: pytest.Config) -> Iterator[WebdavServer]:
    with running_webdav(tls=True) as server:
        with visible(pytestconfig):
            say(f"WsgiDAV (HTTPS) ready on 127.0.0.1:{server.port} in {server.start_seconds:.2f} s")
        yield server


def _moved(app: Any) -> Any:
    """`/moved/<path>` answers 301 to `/<path>`, as a library that moved (or http -> https) does."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/moved/"):
            start_response("301 Moved Permanently", [("Location", path[len("/moved") :]), ("Content-Length", "0")])
            return [b""]
        return app(environ, start_response)

    return wrapped


def serve(root: str, port: int, cert: str | None = None, key: str | None = None) -> None:
    from cheroot import wsgi
    from wsgidav.wsgidav_app import WsgiDAVApp

    config = {
        "host": "127.0.0.1",
        "port": port,
        "provider_mapping": {"/": root},
        "simple_dc": {"user_mapping": {"*": {os.environ[USER_ENV]: {"password": os.environ[PASSWORD_ENV]}}}},
        "http_authenticator": {"accept_basic": True, "accept_digest": False, "default_to_digest": False},
        "verbose": 0,
        "logging": {"enable": False},
        "dir_browser": {"enable": False},
        "lock_storage": True,
        "property_manager": True,
    }
    server = wsgi.Server(("127.0.0.1", port), _moved(WsgiDAVApp(config)), numthreads=8)
    if cert and key:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        server.ssl_adapter = BuiltinSSLAdapter(cert, key)
    signal.signal(signal.SIGTERM, lambda *_: server.stop())
    server.start()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), *(sys.argv[3:5] or [None, None]))
