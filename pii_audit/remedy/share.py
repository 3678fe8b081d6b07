"""Fixing files on an SMB share (`smb://`), through the scan's own connection (source/remote.py:
credentials from the URL or PII_AUDIT_SMB_USER / PII_AUDIT_SMB_PASSWORD, never in a journal).

The same rules as on a local disk: a file is checked against the report just before it is
touched; a new file is written under a temporary name in the same folder and renamed into place
(the server renames atomically; without `replace` the rename refuses an existing name); the
journal line comes before the change. A share has no Unix mode or owner to keep: the times are
kept, and the file's permissions are whatever the share gives a new file (its folder's ACL).
"""

from __future__ import annotations

import contextlib
import errno
import stat
import uuid
from dataclasses import dataclass
from typing import Any

from pii_audit.errors import PiiAuditError, RemedyError
from pii_audit.remedy import fileops
from pii_audit.remedy.fileops import TEMP_PREFIX
from pii_audit.source import remote
from pii_audit.source.remote import RemoteURL


def is_share(location: str) -> bool:
    return location[:6].lower() == "smb://"


@dataclass(frozen=True)
class ShareFile:
    url: RemoteURL
    port: int

    @classmethod
    def at(cls, location: str) -> ShareFile:
        try:
            url = RemoteURL.parse(location)
            fs = remote.filesystem(url)
        except PiiAuditError as exc:
            raise RemedyError(str(exc)) from None
        return cls(url, int(getattr(fs, "_port", None) or url.port or 445))

    @property
    def location(self) -> str:
        return self.url.display  # never the password

    @property
    def name(self) -> str:
        return self.url.path.rsplit("/", 1)[-1]

    @property
    def unc(self) -> str:
        return "\\\\" + self.url.host + self.url.path.replace("/", "\\")

    def sibling(self, name: str) -> ShareFile:
        return ShareFile(self.url.with_path(self.url.path.rsplit("/", 1)[0] + "/" + name), self.port)

    def stat(self) -> Any:
        """smbclient's stat (st_mode, st_size, st_mtime, st_mtime_ns…), links not followed; OSError when gone."""
        import smbclient

        return smbclient.stat(self.unc, follow_symlinks=False, port=self.port)

    def exists(self) -> bool:
        try:
            self.stat()
        except OSError:
            return False
        return True

    def read(self) -> bytes:
        import smbclient

        with smbclient.open_file(self.unc, "rb", share_access="r", port=self.port) as fh:
            data: bytes = fh.read()
        return data

    def write(self, data: bytes, replace: bool) -> None:
        """`data` into this name: a temporary file beside it, then a rename (which, without
        `replace`, fails on an existing name: FileExistsError).

        With `replace`, the old file is first renamed aside, the new one renamed into place, then
        the old one removed: smbclient's own replace opens the target for execution, which a
        share denies on an ordinary file. Between the two renames the name is briefly absent;
        the old bytes are always there, under a hidden name, until the new ones are in place."""
        import smbclient

        tmp = self.sibling(f"{TEMP_PREFIX}{uuid.uuid4().hex}")
        try:
            with smbclient.open_file(tmp.unc, "wb", port=self.port) as fh:
                fh.write(data)
            if not replace:
                if self.exists():
                    raise FileExistsError(self.location)
                smbclient.rename(tmp.unc, self.unc, port=self.port)
                return
            aside = self.sibling(f"{TEMP_PREFIX}old-{uuid.uuid4().hex}")
            smbclient.rename(self.unc, aside.unc, port=self.port)
            try:
                smbclient.rename(tmp.unc, self.unc, port=self.port)
            except BaseException:
                smbclient.rename(aside.unc, self.unc, port=self.port)
                raise
            smbclient.remove(aside.unc, port=self.port)
        except BaseException:
            with contextlib.suppress(OSError):  # never created, or already renamed
                smbclient.remove(tmp.unc, port=self.port)
            raise

    def set_times(self, atime_ns: int, mtime_ns: int) -> None:
        import smbclient

        smbclient.utime(self.unc, ns=(atime_ns, mtime_ns), port=self.port)

    def remove(self) -> None:
        import smbclient

        smbclient.remove(self.unc, port=self.port)


def regular(st: Any) -> str | None:
    """Why a share entry is not a regular file we may touch, or None."""
    if stat.S_ISLNK(st.st_mode) or bool(getattr(st, "st_reparse_tag", 0)):
        return "a symbolic link or reparse point (never followed)"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    return None


def meta_of(st: Any) -> fileops.FileMeta:
    """What a copy on a local disk keeps of a share file: its times (owner-only mode, our owner)."""
    import os

    return fileops.FileMeta(0o600, os.getuid(), os.getgid(), int(st.st_atime_ns), int(st.st_mtime_ns))


def sha_of(f: ShareFile) -> str | None:
    try:
        return fileops.sha256_bytes(f.read())
    except OSError:
        return None


def check(rel: str, location: str) -> tuple[str | None, Any]:
    """(why not, stat): the share entry at `location` as it is now."""
    if any(part in ("..", ".", "") for part in rel.split("/")):
        return "outside the scanned root", None
    try:
        st = ShareFile.at(location).stat()
    except RemedyError as exc:
        return str(exc), None
    except OSError as exc:
        if exc.errno == errno.ENOENT or isinstance(exc, FileNotFoundError):
            return "no longer exists", None
        return f"cannot stat: {exc.strerror or type(exc).__name__}", None
    return regular(st), st
