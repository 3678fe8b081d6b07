"""What every store reached through fsspec shares: URL parsing, connections, the walk, reads and
error wording. One module per store supplies its filesystem options (smb.py, s3.py, sftp.py,
webdav.py); the registry picks it by URL scheme.

A root URL names a directory (or one file) on a store. Every file under it becomes a FileRef
whose `path` is relative to the root (`/` separators) and whose `location` is the file's URL
*without* a password: a worker reopens it, taking credentials from the environment (or from
the root URL, remembered in this process only).

PII_AUDIT_REMOTE_TIMEOUT (seconds, default 15) bounds connecting to a store. A store that cannot
be reached, refuses the login or has no such share/bucket/directory raises StoreError with one
line (no password); a single file that cannot be read is that file's failure, not the run's.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar
from urllib.parse import quote, unquote, urlsplit

from pii_audit.errors import SourceError, UsageError
from pii_audit.model import FileRef
from pii_audit.source.interface import UNKNOWN_ACCESS, Access, Store, StoreError
from pii_audit.source.matching import matches, under_prefix
from pii_audit.source.registry import FSSPEC_SCHEMES, is_url, redact, store_for

__all__ = ["FsspecStore", "RemoteURL", "describe", "filesystem", "forget_connections", "is_url", "options", "redact"]

DEFAULT_TIMEOUT = 15.0
Endpoint = tuple[str, str, int | None, str | None]  # scheme, host, port, user: a store without secrets


@dataclass(frozen=True)
class RemoteURL:
    scheme: str
    host: str
    port: int | None
    user: str | None
    password: str | None = field(default=None, repr=False)
    path: str = ""  # as fsspec names it: "/share/dir" (smb), "bucket/prefix" (s3), "/abs/dir" (sftp, webdav)

    @classmethod
    def parse(cls, url: str) -> RemoteURL:
        shown = redact(url)
        parts = urlsplit(url, allow_fragments=False)
        scheme = parts.scheme.lower()
        if scheme not in FSSPEC_SCHEMES:
            raise UsageError(f"unsupported store {scheme}:// in {shown} (supported: {', '.join(FSSPEC_SCHEMES)})")
        try:
            port = parts.port
        except ValueError:
            raise UsageError(f"bad port in {shown}") from None
        host = parts.hostname or ""
        if not host:
            raise UsageError(f"no host in {shown}")
        raw = unquote(parts.path + (f"?{parts.query}" if parts.query else ""))
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password is not None else None
        if scheme == "s3":
            # The bucket is the URL's host: s3://bucket/prefix -> "bucket/prefix".
            path = f"{parts.netloc.rsplit('@', 1)[-1]}/{raw.strip('/')}".rstrip("/")
            return cls(scheme, parts.netloc.rsplit("@", 1)[-1], None, user, password, path)
        path = "/" + raw.strip("/")
        if scheme == "smb" and path == "/":
            raise UsageError(f"no share in {shown} (smb://[user@]host[:port]/share[/dir])")
        return cls(scheme, host, port, user, password, path)

    def with_path(self, path: str) -> RemoteURL:
        return replace(self, path=path)

    @property
    def display(self) -> str:
        """The URL as reports may show it: everything but the password."""
        if self.scheme == "s3":
            return f"s3://{quote(self.path)}"
        user = f"{quote(self.user, safe=';')}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        return f"{self.scheme}://{user}{self.host}{port}{quote(self.path)}"

    @property
    def name(self) -> str:
        """The last component of the root: its label when several roots are scanned together."""
        return self.path.rstrip("/").rsplit("/", 1)[-1] or self.host

    @property
    def endpoint(self) -> Endpoint:
        if self.scheme == "s3":  # one S3 account per run; the bucket is part of the path
            return ("s3", "", None, None)
        return (self.scheme, self.host, self.port, self.user)


# Filesystems opened in this process, by endpoint without secrets: a walk's connection is reused
# when its files are read. Credentials that came in a root URL are kept apart, so that a forked
# worker (which must not share the parent's sockets) can log in again; a spawned process or a
# Dask worker has only the environment.
_filesystems: dict[Endpoint, Any] = {}
_url_credentials: dict[Endpoint, tuple[str | None, str]] = {}


def _forget_connections_in_child() -> None:
    _filesystems.clear()
    pool = sys.modules.get("smbclient._pool")
    if pool is not None:  # the parent's SMB sessions: its sockets and receiver threads are not ours
        pool._SMB_CONNECTIONS.clear()


def forget_connections() -> None:
    """Close every store connection of this process and forget credentials that came in URLs
    (tests that log in with other credentials; smbprotocol reuses a session per server and user)."""
    for fs in _filesystems.values():
        ssh = getattr(fs, "client", None)  # sftp: the paramiko SSHClient
        if ssh is not None and callable(getattr(ssh, "close", None)):
            ssh.close()
    _filesystems.clear()
    _url_credentials.clear()
    pool = sys.modules.get("smbclient._pool")
    if pool is not None:
        pool.reset_connection_cache(fail_on_error=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_connections_in_child)


def timeout(env: Mapping[str, str]) -> float:
    try:
        return float(env.get("PII_AUDIT_REMOTE_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        raise UsageError("PII_AUDIT_REMOTE_TIMEOUT must be a number of seconds") from None


def _store(scheme: str) -> FsspecStore:
    store = store_for(f"{scheme}://")
    assert isinstance(store, FsspecStore)
    return store


def options(url: RemoteURL, env: Mapping[str, str]) -> dict[str, Any]:
    """The fsspec filesystem options for `url`: host, port and credentials (URL first, then env)."""
    return _store(url.scheme).options(url, env)


def remember(url: RemoteURL, password: str) -> None:
    """A password for `url`'s endpoint, kept in this process only (a root that moved elsewhere)."""
    _url_credentials[url.endpoint] = (url.user, password)


def filesystem(url: RemoteURL, env: Mapping[str, str] | None = None) -> Any:
    """An fsspec filesystem for `url`'s endpoint, connected; StoreError when that fails."""
    env = os.environ if env is None else env
    if url.password is not None:
        _url_credentials[url.endpoint] = (url.user, url.password)
    else:
        cached = _filesystems.get(url.endpoint)
        if cached is not None:
            return cached
        if url.endpoint in _url_credentials:
            user, password = _url_credentials[url.endpoint]
            url = replace(url, user=user, password=password)
    store = _store(url.scheme)
    try:
        import fsspec

        __import__(store.module)
    except ImportError:
        raise UsageError(f"{url.scheme}:// needs {store.module}: pip install 'pii-audit[{store.extra}]'") from None
    opts = store.options(url, env)
    try:
        fs = fsspec.filesystem(store.protocol or url.scheme, skip_instance_cache=True, **opts)
        store.configure(fs)
    except (SourceError, UsageError):
        raise
    except Exception as exc:
        raise StoreError(f"{url.display}: {describe(exc, secrets(opts))}") from None
    _filesystems[url.endpoint] = fs
    return fs


def secrets(opts: Mapping[str, Any]) -> tuple[str, ...]:
    found = [str(opts[k]) for k in ("password", "secret") if opts.get(k)]
    auth = opts.get("auth")
    if isinstance(auth, tuple) and len(auth) == 2 and auth[1]:  # webdav4: (user, password)
        found.append(str(auth[1]))
    return tuple(found)


_NT_STATUS = {
    0xC0000022: "access denied",  # STATUS_ACCESS_DENIED
    0xC0000061: "access denied",  # STATUS_PRIVILEGE_NOT_HELD
    0xC000000F: "no such file or directory",  # STATUS_NO_SUCH_FILE
    0xC0000034: "no such file or directory",  # STATUS_OBJECT_NAME_NOT_FOUND
    0xC000003A: "no such file or directory",  # STATUS_OBJECT_PATH_NOT_FOUND
    0xC0000225: "no such file or directory",  # STATUS_NOT_FOUND
    0xC00000CC: "no such share",  # STATUS_BAD_NETWORK_NAME
    0xC000006D: "login failed (wrong user name or password)",  # STATUS_LOGON_FAILURE
    0xC0000043: "in use by another program (sharing violation)",  # STATUS_SHARING_VIOLATION
}
_LOGIN_FAILED = ("LogonFailure", "SMBAuthenticationError", "AuthenticationException", "BadAuthenticationType")


def _http_status(exc: BaseException) -> int | None:
    """The HTTP status of an httpx/webdav4 error, if it carries one."""
    response = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    return code if isinstance(code, int) else None


def describe(exc: BaseException, hide: Sequence[str] = ()) -> str:
    """One line on why a store operation failed, in words; never a password."""
    name = type(exc).__name__
    text = " ".join(str(exc).split())
    code = ""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code", ""))
    http = _http_status(exc)
    number = getattr(exc, "errno", None)
    status = getattr(exc, "ntstatus", None)  # smbprotocol's SMBOSError
    if isinstance(status, int) and status in _NT_STATUS:
        message = _NT_STATUS[status]
    elif (
        name in _LOGIN_FAILED
        or code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidClientTokenId")
        or http == 401
    ):
        message = "login failed (wrong user name or password)"
    elif name == "BadNetworkName":
        message = "no such share"
    elif name == "NoCredentialsError":
        message = "no S3 credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)"
    elif code == "NoSuchBucket":
        message = "no such bucket"
    elif code in ("AccessDenied", "403") or http == 403 or isinstance(exc, PermissionError) or number == errno.EACCES:
        message = "access denied"
    elif isinstance(exc, FileNotFoundError) or code in ("NoSuchKey", "404") or http == 404 or number == errno.ENOENT:
        message = "no such file or directory"
    elif "certificate verify failed" in text or name == "SSLError":
        message = "TLS certificate not trusted (PII_AUDIT_WEBDAV_CA names a private CA)"
    elif isinstance(exc, ConnectionError | TimeoutError) or name in (
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "NoValidConnectionsError",
        "ConnectError",  # httpx (webdav)
        "ConnectTimeout",
    ):
        message = f"cannot connect: {text or name}"
    elif "Failed to connect" in text:  # smbprotocol wraps socket errors in ValueError
        message = f"cannot connect: {text.split(': ', 1)[-1]}"
    elif name.startswith("SMB") or name == "SSHException":
        message = text or name
    else:
        message = f"{name}: {text}" if text else name
    for secret in hide:
        message = message.replace(secret, "***")
    return message[:300]


def _mtime(info: Mapping[str, Any]) -> float | None:
    value = info.get("mtime", info.get("LastModified", info.get("modified")))
    if isinstance(value, int | float):
        return float(value)
    timestamp = getattr(value, "timestamp", None)
    return float(timestamp()) if callable(timestamp) else None


def _etag(info: Mapping[str, Any]) -> str | None:
    value = info.get("etag", info.get("ETag"))
    return str(value).strip('"') or None if value else None


class FsspecStore(Store):
    """A store behind an fsspec filesystem. Subclasses say which package it needs and how to log in."""

    module: ClassVar[str] = ""  # the package that implements the filesystem (import check)
    extra: ClassVar[str] = ""  # pip install 'pii-audit[extra]'
    protocol: ClassVar[str] = ""  # fsspec's protocol name when it is not the URL scheme
    container: ClassVar[str] = ""  # "share", "bucket": named when the root's first component is missing

    def options(self, url: RemoteURL, env: Mapping[str, str]) -> dict[str, Any]:
        raise NotImplementedError

    def configure(self, fs: Any) -> None:
        """Adjust a new filesystem (retries…)."""

    def open_kwargs(self) -> dict[str, Any]:
        return {}

    def fs_path(self, url: RemoteURL) -> str:
        """The path fsspec wants for `url` (the URL's path unless the store says otherwise)."""
        return url.path

    def label(self, root: str) -> str:
        return RemoteURL.parse(root).name

    def display(self, root: str) -> str:
        return redact(root)

    def begin_walk(self) -> None:
        """Reset what a store keeps for the length of one walk (owners, bucket policies)."""

    def walk(
        self,
        root: str,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        prefix: str = "",
        env: Mapping[str, str] | None = None,
    ) -> Iterator[FileRef]:
        """Every file under the root URL, in a stable order. Lists and stats only."""
        self.begin_walk()
        url = RemoteURL.parse(root)
        fs = filesystem(url, env)
        hide = secrets(self.options(url, os.environ if env is None else env))
        path = self.fs_path(url)
        try:
            info = fs.info(path)
        except Exception as exc:
            raise StoreError(f"{url.display}: {self._missing(fs, url) or describe(exc, hide)}") from None
        if info.get("type") != "directory":
            name = url.path.rsplit("/", 1)[-1]
            yield from self._file(fs, url, info, name, include, exclude, prefix)
            return
        yield from self._walk(fs, url, url.path.rstrip("/"), "", include, exclude, prefix, hide)

    def _missing(self, fs: Any, url: RemoteURL) -> str | None:
        """`no such share` / `no such bucket` when the root's first component is what is missing
        (smbprotocol reports a missing share as a missing file)."""
        top = url.path.strip("/").split("/", 1)[0]
        if not self.container or not top:
            return None
        try:
            fs.info(f"/{top}" if url.path.startswith("/") else top)
        except FileNotFoundError:
            return f"no such {self.container}: {top}"
        except Exception as exc:
            return None if getattr(exc, "errno", None) != errno.ENOENT else f"no such {self.container}: {top}"
        return None

    def _walk(
        self,
        fs: Any,
        url: RemoteURL,
        directory: str,
        rel_dir: str,
        include: Sequence[str],
        exclude: Sequence[str],
        prefix: str,
        hide: Sequence[str],
    ) -> Iterator[FileRef]:
        try:
            entries = _list(fs, self.fs_path(url.with_path(directory)))
        except Exception as exc:
            yield FileRef(
                path=under_prefix(rel_dir or ".", prefix),
                location=url.with_path(directory).display,
                skip_reason=f"directory not readable: {describe(exc, hide)}",
            )
            return
        for info in sorted(entries, key=lambda i: str(i.get("name", ""))):
            name = str(info.get("name", "")).rstrip("/").rsplit("/", 1)[-1]
            full = f"{directory}/{name}"
            if not name or str(info.get("name", "")).rstrip("/") in (directory, self.fs_path(url.with_path(directory))):
                continue  # some stores list the directory itself
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if exclude and matches(rel, exclude):
                continue
            kind = info.get("type")
            if kind == "directory":
                yield from self._walk(fs, url, full, rel, include, exclude, prefix, hide)
            elif kind == "error":
                if not include or matches(rel, include):
                    yield FileRef(
                        path=under_prefix(rel, prefix),
                        location=url.with_path(full).display,
                        skip_reason=f"cannot stat: {info.get('reason')}",
                    )
            else:
                yield from self._file(fs, url.with_path(full), info, rel, include, exclude, prefix)

    def _file(
        self,
        fs: Any,
        url: RemoteURL,
        info: Mapping[str, Any],
        rel: str,
        include: Sequence[str],
        exclude: Sequence[str],
        prefix: str,
    ) -> Iterator[FileRef]:
        if (exclude and matches(rel, exclude)) or (include and not matches(rel, include)):
            return
        if info.get("type") not in ("file", None):
            yield FileRef(
                path=under_prefix(rel, prefix),
                location=url.display,
                skip_reason=f"not a regular file ({info.get('type')}; never opened)",
            )
            return
        ref = _with_info(FileRef(path=under_prefix(rel, prefix), location=url.display), info)
        access, created = self._access(fs, url, info)
        yield replace(ref, access=access, created=created)

    def read_access(self, fs: Any, url: RemoteURL, info: Mapping[str, Any]) -> tuple[Access, float | None]:
        """Owner and audience of a file, and its creation time, as this store reports them (smb.py,
        s3.py, sftp.py). Unknown by default."""
        return UNKNOWN_ACCESS, None

    def _access(self, fs: Any, url: RemoteURL, info: Mapping[str, Any]) -> tuple[Access, float | None]:
        """`read_access`, or unknown with the reason when the store will not say (no right to read
        the permissions, an odd answer): never the file's or the run's failure."""
        try:
            return self.read_access(fs, url, info)
        except Exception as exc:
            return Access(basis=f"permissions not readable: {describe(exc)}"), None

    def access(self, ref: FileRef) -> Access:
        try:
            url, fs = self._connect(ref.location)
            info = fs.info(self.fs_path(url))
        except Exception as exc:
            return Access(basis=f"permissions not readable: {describe(exc)}")
        return self._access(fs, url, info)[0]

    def stat(self, ref: FileRef) -> FileRef:
        url, fs = self._connect(ref.location)
        try:
            info = fs.info(self.fs_path(url))
        except Exception as exc:
            raise OSError(errno.EIO, describe(exc)) from None
        return _with_info(ref, info)

    def _connect(self, location: str) -> tuple[RemoteURL, Any]:
        try:
            url = RemoteURL.parse(location)
            return url, filesystem(url)
        except (SourceError, UsageError) as exc:
            raise OSError(errno.EIO, str(exc)) from None

    @contextmanager
    def open(self, ref: FileRef) -> Iterator[Any]:
        with open_binary(ref.location) as fh:
            yield fh

    def read(self, ref: FileRef, limit: int) -> bytes:
        return read_bytes(ref.location, limit)


def _with_info(ref: FileRef, info: Mapping[str, Any]) -> FileRef:
    size = info.get("size")
    return replace(ref, size=int(size) if isinstance(size, int | float) else None, mtime=_mtime(info), etag=_etag(info))


def _list(fs: Any, directory: str) -> list[dict[str, Any]]:
    """A directory's entries with details. Some stores (smb) stat each entry while listing: when
    one entry cannot be stat'ed, list names and stat them one by one, so one bad entry is one skip."""
    try:
        return list(fs.ls(directory, detail=True))
    except FileNotFoundError:
        raise
    except Exception:
        names = fs.ls(directory, detail=False)
    entries: list[dict[str, Any]] = []
    for name in names:
        try:
            entries.append(fs.info(name))
        except Exception as exc:
            entries.append({"name": name, "type": "error", "reason": describe(exc)})
    return entries


def iter_files(
    root: str,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    prefix: str = "",
    env: Mapping[str, str] | None = None,
) -> Iterator[FileRef]:
    """Every file under the root URL, through the store its scheme names."""
    return _store(RemoteURL.parse(root).scheme).walk(root, include, exclude, prefix, env)


def read_bytes(location: str, limit: int) -> bytes:
    """Up to `limit + 1` bytes of the file at `location` (a URL). OSError with a clean reason on failure."""
    with open_binary(location) as fh:
        try:
            return bytes(fh.read(limit + 1))
        except Exception as exc:
            raise OSError(errno.EIO, describe(exc)) from None


@contextmanager
def open_binary(location: str) -> Iterator[Any]:
    """The file at `location` (a URL), open for reading in binary. OSError with a clean reason when
    it cannot be opened; errors while reading are the caller's to describe."""
    try:
        url = RemoteURL.parse(location)
        store = _store(url.scheme)
        fs = filesystem(url)
    except (SourceError, UsageError) as exc:
        raise OSError(errno.EIO, str(exc)) from None
    try:
        fh = fs.open(store.fs_path(url), "rb", **store.open_kwargs())
    except Exception as exc:
        raise OSError(errno.EIO, describe(exc)) from None
    with fh:
        yield fh
