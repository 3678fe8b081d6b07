"""System packages that some tests need (LibreOffice, Chromium, Samba…), installed by the suite itself.

On a fresh CI machine running as root on Debian, `ensure_debian_packages` installs what is missing with
`apt-get install -y --no-install-recommends` (with a timeout; `apt-get update` at most once per process,
first when there are no package lists, else only when an install fails; a lock so parallel workers do not
fight over dpkg; a policy-rc.d that stops packages from starting system daemons such as smbd).
Elsewhere (not root, no apt) it raises `SystemDepsUnavailable`, and
`require_debian_packages` turns that into a skip, or into a failure when `PII_AUDIT_REQUIRE_SYSTEM_DEPS=1`
(set it in CI so a broken install cannot hide behind a skip).

    soffice = require_debian_packages(["libreoffice-calc-nogui"], binary="soffice")
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

REQUIRE_ENV = "PII_AUDIT_REQUIRE_SYSTEM_DEPS"
LOCK = Path(tempfile.gettempdir()) / "pii-audit-apt.lock"
DEFAULT_TIMEOUT = 1200.0  # seconds; LibreOffice and Chromium pull a few hundred MB

_updated = False
install_seconds: dict[str, float] = {}  # binary -> seconds its install took in this process


class SystemDepsUnavailable(RuntimeError):
    """The packages are missing and cannot be installed here."""


@contextmanager
def _apt_lock() -> Iterator[None]:
    with open(LOCK, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _apt(args: Sequence[str], timeout: float) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        proc = subprocess.run(["apt-get", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise SystemDepsUnavailable(f"apt-get {' '.join(args)} timed out after {timeout:.0f}s") from None
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise SystemDepsUnavailable(f"apt-get {' '.join(args)} failed ({proc.returncode}): {' | '.join(tail)}")


SBIN = ("/usr/sbin", "/sbin")
APT_LISTS = Path("/var/lib/apt/lists")
POLICY_RC = Path("/usr/sbin/policy-rc.d")


def which(binary: str) -> str | None:
    """`shutil.which`, plus the sbin directories that a non-login PATH may lack (smbd lives there).
    An absolute path names a file a package installs (a Python module, not a program): it exists or not."""
    if os.path.isabs(binary):
        return binary if os.path.exists(binary) else None
    return shutil.which(binary) or next((f"{d}/{binary}" for d in SBIN if os.access(f"{d}/{binary}", os.X_OK)), None)


def _have_lists() -> bool:
    return any(APT_LISTS.glob("*Packages*"))


@contextmanager
def _no_service_starts() -> Iterator[None]:
    """policy-rc.d exiting 101 keeps a package's postinst from starting its daemon on the host."""
    made = not POLICY_RC.exists()
    if made:
        POLICY_RC.write_text("#!/bin/sh\nexit 101\n")
        POLICY_RC.chmod(0o755)
    try:
        yield
    finally:
        if made:
            POLICY_RC.unlink(missing_ok=True)


def _install(packages: Sequence[str], timeout: float) -> None:
    global _updated
    if not _updated and not _have_lists():
        _apt(["update"], timeout)
        _updated = True
    try:
        _apt(["install", "-y", "--no-install-recommends", *packages], timeout)
    except SystemDepsUnavailable:
        if _updated:
            raise
        _apt(["update"], timeout)  # stale lists: the pinned versions are gone from the mirror
        _updated = True
        _apt(["install", "-y", "--no-install-recommends", *packages], timeout)


def ensure_debian_packages(
    packages: Sequence[str],
    binary: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    find: Callable[[str], str | None] = which,
) -> str:
    """The path of `binary`, installing `packages` with apt-get first when it is not found. `find`
    looks for it (default: an executable on PATH or in sbin; a plugin file needs its own)."""
    found = find(binary)
    if found:
        return found
    if not shutil.which("apt-get"):
        raise SystemDepsUnavailable(f"{binary} is not installed and there is no apt-get")
    if os.geteuid() != 0:
        raise SystemDepsUnavailable(f"{binary} is not installed; run as root or: apt-get install {' '.join(packages)}")
    with _apt_lock():
        found = find(binary)  # another worker may have installed it while we waited
        if found:
            return found
        sys.stderr.write(f"\n[tests.system] {binary} not found: apt-get install {' '.join(packages)}\n")
        began = time.monotonic()
        with _no_service_starts():
            _install(packages, timeout)
        install_seconds[binary] = time.monotonic() - began
        sys.stderr.write(f"[tests.system] installed {' '.join(packages)} in {install_seconds[binary]:.0f}s\n")
    found = find(binary)
    if not found:
        raise SystemDepsUnavailable(f"installed {' '.join(packages)} but {binary} is still not found")
    return found


def require_debian_packages(
    packages: Sequence[str],
    binary: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    find: Callable[[str], str | None] = which,
) -> str:
    """`ensure_debian_packages` for tests: skip when unavailable (fail when PII_AUDIT_REQUIRE_SYSTEM_DEPS=1)."""
    try:
        return ensure_debian_packages(packages, binary, timeout=timeout, find=find)
    except SystemDepsUnavailable as exc:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))


UNO_MODULE = "/usr/lib/python3/dist-packages/uno.py"

HANGUL_FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")  # fonts-nanum


def require_hangul_font(timeout: float = DEFAULT_TIMEOUT) -> Path:
    """A font with Hangul for screenshots of Korean reports (fonts-nanum), installed like the binaries."""

    def find(_: str) -> str | None:
        return str(HANGUL_FONT) if HANGUL_FONT.exists() else None

    return Path(require_debian_packages(["fonts-nanum"], binary="NanumGothic", timeout=timeout, find=find))


# What the suite installs, by the binary it looks for (`python -m tests.system` installs them all ahead
# of a run, e.g. in a CI image build; `make system-deps` does that).
KNOWN: dict[str, tuple[str, ...]] = {
    "chromium": ("chromium",),  # tests/report/test_html.py: the HTML report renders
    "soffice": ("libreoffice-calc-nogui",),  # tests/report/test_xlsx.py: the workbook converts
    # tests/remedy: LibreOffice opens a protected workbook with its password (through UNO, from the system Python)
    UNO_MODULE: ("python3-uno", "libreoffice-calc-nogui", "libreoffice-writer-nogui"),
    "smbd": ("samba", "smbclient", "samba-vfs-modules"),  # tests/servers/samba.py (acl_xattr)
    "pg_ctlcluster": ("postgresql",),  # tests/servers/postgres.py (the server is in /usr/lib/postgresql/*/bin)
    "mariadbd": ("mariadb-server",),  # tests/servers/mariadb.py
    "tesseract": ("tesseract-ocr", "tesseract-ocr-kor", "fonts-nanum"),  # tests/extract/test_ocr.py (Hangul font)
}


def main(binaries: Sequence[str]) -> int:
    failed = 0
    for binary in binaries or KNOWN:
        try:
            print(f"{binary}: {ensure_debian_packages(KNOWN[binary], binary)}")
        except (KeyError, SystemDepsUnavailable) as exc:
            print(f"{binary}: {exc}", file=sys.stderr)
            failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
