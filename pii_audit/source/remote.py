"""Stores behind URLs, through fsspec: `smb://`, `s3://`, `sftp://`. Read-only: list, stat, read.

A root URL names a directory (or one file) on a store. Every file under it becomes a FileRef
whose `path` is relative to the root (`/` separators) and whose `location` is the file's URL
*without* a password: a worker reopens it with `read_bytes`, taking credentials from the
environment (or from the root URL, remembered in this process only).

Credentials (a URL may carry `user:password@`: accepted, never echoed; the environment is better,
since a command line is visible to other users of the machine):

- smb: user from the URL, else PII_AUDIT_SMB_USER (`DOMAIN;user@` or `DOMAIN\\user` for a domain);
  password from the URL, else PII_AUDIT_SMB_PASSWORD.
- s3: botocore's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
  AWS_PROFILE, instance roles…); PII_AUDIT_S3_ENDPOINT_URL for S3-compatible stores (MinIO, Ceph…);
  PII_AUDIT_S3_ANON=1 for public buckets.
- sftp: user from the URL, else PII_AUDIT_SFTP_USER; password from the URL, else
  PII_AUDIT_SFTP_PASSWORD; or a private key in PII_AUDIT_SFTP_KEY_FILE. The server's host key must be
  in PII_AUDIT_SFTP_KNOWN_HOSTS (default ~/.ssh/known_hosts) unless PII_AUDIT_SFTP_ACCEPT_UNKNOWN_HOST=1.

PII_AUDIT_REMOTE_TIMEOUT (seconds, default 15) bounds connecting to a store. A store that cannot
be reached, refuses the login or has no such share/bucket/directory raises SourceError with one
line (no password); a single file that cannot be read is that file's failure, not the run's.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from pii_audit.errors import SourceError, UsageError
from pii_audit.model import FileRef

SCHEMES = ("smb", "s3", "sftp")
EXTRAS = {"smb": ("smbprotocol", "smb"), "s3": ("s3fs", "s3"), "sftp": ("paramiko", "sftp")}
DEFAULT_TIMEOUT = 15.0
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
Endpoint = tuple[str, str, int | None, str | None]  # scheme, host, port, user: a store without secrets


def is_url(root: str) -> bool:
    """A root that names a store by URL (`scheme://…`) rather than a local path."""
    return bool(_URL.match(root))


@dataclass(frozen=True)
class RemoteURL:
    scheme: str
    host: str
    port: int | None
    user: str | None
    password: str | None = field(default=None, repr=False)
    path: str = ""  # as fsspec names it: "/share/dir" (smb), "bucket/prefix" (s3), "/abs/dir" (sftp)

    @classmethod
    def parse(cls, url: str) -> RemoteURL:
        shown = redact(url)
        parts = urlsplit(url, allow_fragments=False)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            raise UsageError(f"unsupported store {scheme}:// in {shown} (supported: {', '.join(SCHEMES)})")
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
        return RemoteURL(self.scheme, self.host, self.port, self.user, self.password, path)

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


def redact(url: str) -> str:
    """`url` with any password removed (for reports, errors and logs). Non-URLs come back unchanged."""
    if not is_url(url):
        return url
    parts = urlsplit(url, allow_fragments=False)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return parts._replace(netloc=f"{user}@{netloc[1]}").geturl()


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


def _timeout(env: Mapping[str, str]) -> float:
    try:
        return float(env.get("PII_AUDIT_REMOTE_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        raise UsageError("PII_AUDIT_REMOTE_TIMEOUT must be a number of seconds") from None


def options(url: RemoteURL, env: Mapping[str, str]) -> dict[str, Any]:
    """The fsspec filesystem options for `url`: host, port and credentials (URL first, then env)."""
    timeout = _timeout(env)
    if url.scheme == "smb":
        user = url.user or env.get("PII_AUDIT_SMB_USER")
        if user and ";" in user:  # DOMAIN;user, as in smb://DOMAIN;user@host/share
            domain, user = user.split(";", 1)
            user = f"{domain}\\{user}"
        return {
            "host": url.host,
            "port": url.port,
            "username": user,
            "password": url.password if url.password is not None else env.get("PII_AUDIT_SMB_PASSWORD"),
            "timeout": timeout,
            "register_session_retries": 0,  # one attempt: a CLI should fail fast and say why
        }
    if url.scheme == "s3":
        opts: dict[str, Any] = {
            "config_kwargs": {"connect_timeout": timeout, "read_timeout": 60, "retries": {"max_attempts": 2}}
        }
        endpoint = env.get("PII_AUDIT_S3_ENDPOINT_URL")
        if endpoint:
            opts["endpoint_url"] = endpoint
        if env.get("PII_AUDIT_S3_ANON", "") in ("1", "true", "yes"):
            opts["anon"] = True
        if url.user:
            opts["key"] = url.user
        if url.password is not None:
            opts["secret"] = url.password
        return opts
    user = url.user or env.get("PII_AUDIT_SFTP_USER")
    opts = {
        "host": url.host,
        "port": url.port or 22,
        "username": user,
        "timeout": timeout,
        "banner_timeout": timeout,
        "auth_timeout": timeout,
        "host_key_policy": _host_key_policy(env),
        "allow_agent": False,
    }
    password = url.password if url.password is not None else env.get("PII_AUDIT_SFTP_PASSWORD")
    if password is not None:
        opts["password"] = password
    key_file = env.get("PII_AUDIT_SFTP_KEY_FILE")
    if key_file:
        opts["key_filename"] = key_file
    if password is not None and not key_file:
        opts["look_for_keys"] = False
    return opts


def _host_key_policy(env: Mapping[str, str]) -> Any:
    import paramiko

    known = env.get("PII_AUDIT_SFTP_KNOWN_HOSTS") or os.path.expanduser("~/.ssh/known_hosts")
    accept_unknown = env.get("PII_AUDIT_SFTP_ACCEPT_UNKNOWN_HOST", "") in ("1", "true", "yes")

    class KnownHosts(paramiko.MissingHostKeyPolicy):
        """fsspec's client loads no known_hosts: check the server's key against the file here."""

        def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
            keys = paramiko.HostKeys(known) if os.path.exists(known) else paramiko.HostKeys()
            listed = keys.lookup(hostname)
            if listed is not None and key.get_name() in listed:
                if listed[key.get_name()] == key:
                    return
                raise paramiko.SSHException(f"host key of {hostname} does not match {known}")
            if not accept_unknown:
                raise paramiko.SSHException(
                    f"host {hostname} is not in {known} (add it, or set PII_AUDIT_SFTP_ACCEPT_UNKNOWN_HOST=1)"
                )

    return KnownHosts()


def filesystem(url: RemoteURL, env: Mapping[str, str] | None = None) -> Any:
    """An fsspec filesystem for `url`'s endpoint, connected; SourceError when that fails."""
    env = os.environ if env is None else env
    if url.password is not None:
        _url_credentials[url.endpoint] = (url.user, url.password)
    else:
        cached = _filesystems.get(url.endpoint)
        if cached is not None:
            return cached
        if url.endpoint in _url_credentials:
            user, password = _url_credentials[url.endpoint]
            url = RemoteURL(url.scheme, url.host, url.port, user, password, url.path)
    module, extra = EXTRAS[url.scheme]
    try:
        import fsspec

        __import__(module)
    except ImportError:
        raise UsageError(f"{url.scheme}:// needs {module}: pip install 'pii-audit[{extra}]'") from None
    opts = options(url, env)
    try:
        fs = fsspec.filesystem(url.scheme, skip_instance_cache=True, **opts)
        if url.scheme == "s3":
            fs.retries = 1  # s3fs retries each call 5 times by default: too slow to say "unreachable"
    except Exception as exc:
        raise SourceError(f"{url.display}: {describe(exc, secrets(opts))}") from None
    _filesystems[url.endpoint] = fs
    return fs


def secrets(opts: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(opts[k]) for k in ("password", "secret") if opts.get(k))


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


def describe(exc: BaseException, hide: Sequence[str] = ()) -> str:
    """One line on why a store operation failed, in words; never a password."""
    name = type(exc).__name__
    text = " ".join(str(exc).split())
    code = ""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code", ""))
    number = getattr(exc, "errno", None)
    status = getattr(exc, "ntstatus", None)  # smbprotocol's SMBOSError
    if isinstance(status, int) and status in _NT_STATUS:
        message = _NT_STATUS[status]
    elif name in ("LogonFailure", "SMBAuthenticationError", "AuthenticationException", "BadAuthenticationType") or (
        code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidClientTokenId")
    ):
        message = "login failed (wrong user name or password)"
    elif name == "BadNetworkName":
        message = "no such share"
    elif name == "NoCredentialsError":
        message = "no S3 credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)"
    elif code == "NoSuchBucket":
        message = "no such bucket"
    elif code in ("AccessDenied", "403") or isinstance(exc, PermissionError) or number == errno.EACCES:
        message = "access denied"
    elif isinstance(exc, FileNotFoundError) or code in ("NoSuchKey", "404") or number == errno.ENOENT:
        message = "no such file or directory"
    elif isinstance(exc, ConnectionError | TimeoutError) or name in (
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "NoValidConnectionsError",
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


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def _mtime(info: Mapping[str, Any]) -> float | None:
    value = info.get("mtime", info.get("LastModified"))
    if isinstance(value, int | float):
        return float(value)
    timestamp = getattr(value, "timestamp", None)
    return float(timestamp()) if callable(timestamp) else None


def iter_files(
    root: str,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    prefix: str = "",
    env: Mapping[str, str] | None = None,
) -> Iterator[FileRef]:
    """Every file under the root URL, in a stable order. Lists and stats only."""
    url = RemoteURL.parse(root)
    fs = filesystem(url, env)
    hide = secrets(options(url, os.environ if env is None else env))
    try:
        info = fs.info(url.path)
    except Exception as exc:
        raise SourceError(f"{url.display}: {_missing(fs, url) or describe(exc, hide)}") from None
    if info.get("type") != "directory":
        name = url.path.rsplit("/", 1)[-1]
        yield from _file(url, info, name, include, exclude, prefix)
        return
    yield from _walk(fs, url, url.path.rstrip("/"), "", include, exclude, prefix, hide)


def _missing(fs: Any, url: RemoteURL) -> str | None:
    """`no such share` / `no such bucket` when the root's first component is what is missing
    (smbprotocol reports a missing share as a missing file)."""
    top = url.path.strip("/").split("/", 1)[0]
    what = {"smb": "share", "s3": "bucket"}.get(url.scheme)
    if not what or not top:
        return None
    try:
        fs.info(f"/{top}" if url.scheme == "smb" else top)
    except FileNotFoundError:
        return f"no such {what}: {top}"
    except Exception as exc:
        return None if getattr(exc, "errno", None) != errno.ENOENT else f"no such {what}: {top}"
    return None


def _display(rel: str, prefix: str) -> str:
    return f"{prefix}/{rel}" if prefix else rel


def _walk(
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
        entries = _list(fs, directory)
    except Exception as exc:
        yield FileRef(
            path=_display(rel_dir or ".", prefix),
            location=url.with_path(directory).display,
            skip_reason=f"directory not readable: {describe(exc, hide)}",
        )
        return
    for info in sorted(entries, key=lambda i: str(i.get("name", ""))):
        full = str(info.get("name", "")).rstrip("/")
        name = full.rsplit("/", 1)[-1]
        if not name or full == directory:
            continue  # some stores list the directory itself
        rel = f"{rel_dir}/{name}" if rel_dir else name
        if exclude and _matches(rel, exclude):
            continue
        kind = info.get("type")
        if kind == "directory":
            yield from _walk(fs, url, f"{directory}/{name}", rel, include, exclude, prefix, hide)
        elif kind == "error":
            if not include or _matches(rel, include):
                yield FileRef(
                    path=_display(rel, prefix),
                    location=url.with_path(full).display,
                    skip_reason=f"cannot stat: {info.get('reason')}",
                )
        else:
            yield from _file(url.with_path(full), info, rel, include, exclude, prefix)


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


def _file(
    url: RemoteURL, info: Mapping[str, Any], rel: str, include: Sequence[str], exclude: Sequence[str], prefix: str
) -> Iterator[FileRef]:
    if (exclude and _matches(rel, exclude)) or (include and not _matches(rel, include)):
        return
    size = info.get("size")
    if info.get("type") not in ("file", None):
        yield FileRef(
            path=_display(rel, prefix),
            location=url.display,
            skip_reason=f"not a regular file ({info.get('type')}; never opened)",
        )
        return
    yield FileRef(
        path=_display(rel, prefix),
        location=url.display,
        size=int(size) if isinstance(size, int | float) else None,
        mtime=_mtime(info),
    )


def read_bytes(location: str, limit: int, env: Mapping[str, str] | None = None) -> bytes:
    """Up to `limit + 1` bytes of the file at `location` (a URL). OSError with a clean reason on failure."""
    with open_binary(location, env) as fh:
        try:
            return bytes(fh.read(limit + 1))
        except Exception as exc:
            raise OSError(errno.EIO, describe(exc)) from None


@contextmanager
def open_binary(location: str, env: Mapping[str, str] | None = None) -> Iterator[Any]:
    """The file at `location` (a URL), open for reading in binary. OSError with a clean reason when
    it cannot be opened; errors while reading are the caller's to describe."""
    try:
        url = RemoteURL.parse(location)
        fs = filesystem(url, env)
    except (SourceError, UsageError) as exc:
        raise OSError(errno.EIO, str(exc)) from None
    kwargs: dict[str, Any] = {}
    if url.scheme == "smb":
        kwargs["share_access"] = "rwd"  # never lock the file against its users while we read it
    try:
        fh = fs.open(url.path, "rb", **kwargs)
    except Exception as exc:
        raise OSError(errno.EIO, describe(exc)) from None
    with fh:
        yield fh
