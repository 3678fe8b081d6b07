"""Which store serves a root: by URL scheme (`smb://…`), or the local file system for a path.

Store modules are imported when first needed: fsspec, smbprotocol and the database drivers cost
import time that a local scan should not pay.
"""

from __future__ import annotations

import importlib
import re
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pii_audit.errors import UsageError

if TYPE_CHECKING:
    from pii_audit.source.interface import Store

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class StoreKind(str, Enum):
    """A kind of store, named by its URL scheme (`local` for paths)."""

    LOCAL = "local"
    SMB = "smb"
    S3 = "s3"
    SFTP = "sftp"
    WEBDAV = "webdav"
    WEBDAVS = "webdavs"  # WebDAV over HTTPS
    POSTGRESQL = "postgresql"
    POSTGRES = "postgres"  # libpq's short form
    MYSQL = "mysql"
    MARIADB = "mariadb"


# kind -> "module:Class" (imported on first use)
_IMPLEMENTATIONS: dict[StoreKind, str] = {
    StoreKind.LOCAL: "pii_audit.source.local:LocalStore",
    StoreKind.SMB: "pii_audit.source.smb:SmbStore",
    StoreKind.S3: "pii_audit.source.s3:S3Store",
    StoreKind.SFTP: "pii_audit.source.sftp:SftpStore",
    StoreKind.WEBDAV: "pii_audit.source.webdav:WebdavStore",
    StoreKind.WEBDAVS: "pii_audit.source.webdav:WebdavStore",
    StoreKind.POSTGRESQL: "pii_audit.source.postgresql:PostgresStore",
    StoreKind.POSTGRES: "pii_audit.source.postgresql:PostgresStore",
    StoreKind.MYSQL: "pii_audit.source.mysql:MysqlStore",
    StoreKind.MARIADB: "pii_audit.source.mysql:MysqlStore",
}
# Schemes served through fsspec (pii_audit/source/remote.py)
FSSPEC_SCHEMES: tuple[str, ...] = ("smb", "s3", "sftp", "webdav", "webdavs")
SCHEMES: tuple[str, ...] = tuple(k.value for k in StoreKind if k is not StoreKind.LOCAL)


def is_url(root: str) -> bool:
    """A root that names a store by URL (`scheme://…`) rather than a local path."""
    return bool(_URL.match(root))


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


def kind_of(root: str) -> StoreKind:
    """The kind of store `root` (a path or a URL) names; UsageError for an unknown scheme."""
    if not is_url(root):
        return StoreKind.LOCAL
    scheme = root.split("://", 1)[0].lower()
    try:
        return StoreKind(scheme)
    except ValueError:
        raise UsageError(f"unsupported store {scheme}:// in {redact(root)} (supported: {', '.join(SCHEMES)})") from None


@cache
def _store(kind: StoreKind) -> Store:
    module, name = _IMPLEMENTATIONS[kind].split(":")
    store: Store = getattr(importlib.import_module(module), name)()
    return store


def store_for(root: str) -> Store:
    """The store for a root or a FileRef's location (a path, or a URL without a password)."""
    return _store(kind_of(root))
