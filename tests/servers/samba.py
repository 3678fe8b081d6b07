"""A real Samba server for tests: private smb.conf, 127.0.0.1 only, a throwaway user, read-only share.

When `smbd` is missing and we are root, Samba is installed with apt-get by tests/system.py (printed;
`apt-get update` only when there are no package lists or the install fails). Without root and
without smbd the fixture skips, saying why (fails instead under PII_AUDIT_REQUIRE_SYSTEM_DEPS=1).
Everything Samba writes lives in a temp dir; the Unix user made for the share is deleted at
tear-down.

    def test_x(samba_share):
        root, url = samba_share.subdir("x")      # a directory of its own on the share
        (root / "a.txt").write_text("...")
        # url == "smb://<user>@127.0.0.1:<port>/<share>/x"; the password is in samba_share.env
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers import free_port, say, visible, wait_for_port
from tests.system import require_debian_packages, which

SHARE = "audit"
PACKAGES = ("samba", "smbclient", "samba-vfs-modules")  # the last for acl_xattr (NT ACLs in xattrs)


@dataclass
class SambaShare:
    host: str
    port: int
    share: str
    user: str
    password: str
    root: Path  # the share's directory on disk (written by the test, read by smbd as `user`)
    start_seconds: float = 0.0
    _dirs: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        """The share's URL, without the password (give it through `env`)."""
        return f"smb://{self.user}@{self.host}:{self.port}/{self.share}"

    @property
    def url_with_password(self) -> str:
        return f"smb://{self.user}:{self.password}@{self.host}:{self.port}/{self.share}"

    @property
    def env(self) -> dict[str, str]:
        """What `pii-audit` reads to log in (for CliRunner's `env=` or monkeypatch)."""
        return {"PII_AUDIT_SMB_USER": self.user, "PII_AUDIT_SMB_PASSWORD": self.password}

    def subdir(self, name: str) -> tuple[Path, str]:
        """A fresh directory on the share: its path on disk and its smb:// URL (no password)."""
        if name in self._dirs:
            raise ValueError(f"subdir {name!r} already handed out")
        self._dirs.add(name)
        path = self.root / name
        path.mkdir(parents=True)
        path.chmod(0o755)
        return path, f"{self.url}/{name}"

    def add_file(self, rel: str, data: bytes, mode: int = 0o644) -> Path:
        """Write a file on the share (`rel` with `/`); mode 0o000 makes it unreadable to the share user."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(self.root).parents:
            (self.root / parent).chmod(0o755)
        path.write_bytes(data)
        path.chmod(mode)
        return path


def _vfs_module(name: str) -> str | None:
    """A Samba VFS module's file (Debian: /usr/lib/<arch>/samba/vfs/), or None."""
    return next((str(p) for p in sorted(Path("/usr/lib").glob(f"*/samba/vfs/{name}"))), None)


def ensure_samba() -> tuple[str, str]:
    """smbd and smbpasswd, installed with apt-get first when missing (tests/system.py: as root, with a
    lock, a timeout and no service started); skips (or fails under PII_AUDIT_REQUIRE_SYSTEM_DEPS=1)
    when that cannot be done, saying why."""
    smbd = require_debian_packages(PACKAGES, binary="smbd")
    require_debian_packages(["samba-vfs-modules"], binary="acl_xattr.so", find=_vfs_module)
    smbpasswd = which("smbpasswd")
    if not smbpasswd:
        pytest.skip("smbd is installed but smbpasswd is not (package samba-common-bin)")
    return smbd, smbpasswd


def _conf(state: Path, root: Path, port: int, user: str, writable: bool = False) -> str:
    return f"""[global]
    netbios name = PIIAUDITTEST
    workgroup = WORKGROUP
    server role = standalone server
    interfaces = 127.0.0.1
    bind interfaces only = yes
    smb ports = {port}
    disable netbios = yes
    server min protocol = SMB2_10
    passdb backend = tdbsam:{state}/private/passdb.tdb
    private dir = {state}/private
    lock directory = {state}/lock
    state directory = {state}/state
    cache directory = {state}/cache
    pid directory = {state}/pid
    ncalrpc dir = {state}/ncalrpc
    binddns dir = {state}/binddns
    log file = {state}/log/%m.log
    logging = file
    map to guest = never
    load printers = no
    printing = bsd
    printcap name = /dev/null
    disable spoolss = yes
    usershare path =

[{SHARE}]
    path = {root}
    read only = {"no" if writable else "yes"}
    vfs objects = acl_xattr
    browseable = yes
    valid users = {user}
"""


@contextlib.contextmanager
def running_samba(writable: bool = False) -> Iterator[SambaShare]:
    """Start smbd on 127.0.0.1:<free port> with a read-only share (`writable`: one the user may
    change, for tests that fix files on it); stop it and delete its user after."""
    smbd, smbpasswd = ensure_samba()
    base = Path(tempfile.mkdtemp(prefix="pii-audit-samba-"))
    base.chmod(0o755)  # the share user must traverse to the share root
    state, root = base / "state", base / "share"
    for d in ("private", "lock", "state", "cache", "pid", "ncalrpc", "binddns", "log"):
        (state / d).mkdir(parents=True)
    root.mkdir()
    root.chmod(0o755)
    user = f"piiaudit{secrets.token_hex(3)}"
    password = f"Pw-{secrets.token_urlsafe(12)}"
    port = free_port()
    conf = base / "smb.conf"
    conf.write_text(_conf(state, root, port, user, writable))
    proc: subprocess.Popen[bytes] | None = None
    user_added = False
    try:
        subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", user], check=True, capture_output=True)
        user_added = True
        subprocess.run(
            [smbpasswd, "-c", str(conf), "-s", "-a", user],
            input=f"{password}\n{password}\n".encode(),
            check=True,
            capture_output=True,
        )
        started = time.monotonic()
        proc = subprocess.Popen(
            [smbd, "--foreground", "--no-process-group", "-s", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its helpers (samba-dcerpcd…) die with its session at tear-down
        )
        wait_for_port(port, timeout=15, alive=lambda: proc is not None and proc.poll() is None)
        share = SambaShare("127.0.0.1", port, SHARE, user, password, root, time.monotonic() - started)
        yield share
    finally:
        if proc is not None:
            _stop(proc)
        if user_added:
            subprocess.run(["userdel", user], capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@pytest.fixture(scope="session")
def samba_share(pytestconfig: pytest.Config) -> Iterator[SambaShare]:
    """A running Samba share for the whole session (see the module docstring)."""
    with contextlib.ExitStack() as stack:
        with visible(pytestconfig):
            share = stack.enter_context(running_samba())
            say(f"smbd ready on 127.0.0.1:{share.port} in {share.start_seconds:.2f} s")
        yield share


@pytest.fixture(scope="session")
def samba_writable_share(pytestconfig: pytest.Config) -> Iterator[SambaShare]:
    """A running Samba share the user may write to (tests/remedy: protect and quarantine on a share).
    Give the user the files it must change: `shutil.chown(path, share.user)`."""
    with contextlib.ExitStack() as stack:
        with visible(pytestconfig):
            share = stack.enter_context(running_samba(writable=True))
            say(f"smbd (writable share) ready on 127.0.0.1:{share.port} in {share.start_seconds:.2f} s")
        yield share
