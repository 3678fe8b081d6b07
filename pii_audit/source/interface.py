"""The seam for stores: where files (and database tables) come from.

A store lists what is under a root as FileRefs and opens them again, by `FileRef.location`, in
whatever process scans them. One module per store (local, smb, s3, sftp, webdav, postgresql,
mysql); `registry.store_for(root)` picks it by URL scheme. A store only lists, stats and reads:
nothing is ever written.

- `walk` yields every entry under a root, in a stable order. What the store will not open
  (links out of the root, FIFOs, unreadable directories) comes back with `skip_reason` set.
- `open`/`read` give a file's bytes; `read` is bounded (one byte past the limit tells "too big").
- `stat` looks an entry up again (size, mtime, etag) without reading it.
- `access` says who owns an entry and who can read it, as the store sees it (model.Access: owner,
  audience, readers, basis). `unknown` unless the store knows better; `walk` fills
  `FileRef.access` with it, and archive and mail members inherit their container's.

A `TableStore` (PostgreSQL, MySQL/MariaDB) lists tables instead of files: each table is one
entry, and `table` returns its rows as an Extraction (column names as headers, as for a CSV),
so records, people and the exposure score work as for a sheet.

A root that cannot be listed at all (unreachable server, refused login, no such share or
database) raises StoreError with one line that never holds a password. One entry that cannot be
read is that entry's failure, never the run's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import BinaryIO

from pii_audit.errors import SourceError
from pii_audit.model import UNKNOWN_ACCESS, Access, Audience, Extraction, FileRef, Member

__all__ = ["UNKNOWN_ACCESS", "Access", "Audience", "Store", "StoreError", "TableStore"]


class StoreError(SourceError):
    """A root could not be listed, or a store not reached: one line, no password (exit code 2)."""


class Store(ABC):
    """One kind of store. Instances are cheap, hold no open connection of their own, and are made
    again in every worker process by the registry (connections are the implementation's business)."""

    scheme: str = ""

    @abstractmethod
    def walk(
        self, root: str, include: Sequence[str] = (), exclude: Sequence[str] = (), prefix: str = ""
    ) -> Iterator[FileRef]:
        """Every entry under `root`, `path` relative to it (behind `prefix/` when several roots are
        scanned together), filtered by the include/exclude globs (source/matching.py)."""

    @abstractmethod
    def open(self, ref: FileRef) -> AbstractContextManager[BinaryIO]:
        """The entry's bytes, open for reading. OSError with a clean reason when it cannot be opened."""

    def read(self, ref: FileRef, limit: int) -> bytes:
        """Up to `limit + 1` bytes: one more than the limit tells an entry that is too large."""
        with self.open(ref) as fh:
            return fh.read(limit + 1)

    @abstractmethod
    def stat(self, ref: FileRef) -> FileRef:
        """`ref` with its size, mtime and etag as the store reports them now. OSError when gone."""

    def access(self, ref: FileRef) -> Access:
        """Owner and audience of the entry; `unknown` unless the store can tell."""
        return UNKNOWN_ACCESS

    def label(self, root: str) -> str:
        """A root's short name: the prefix of its entries when several roots are scanned together."""
        return root.rstrip("/").rsplit("/", 1)[-1] or root

    def display(self, root: str) -> str:
        """The root as reports may show it (never a password)."""
        return root


class TableStore(Store):
    """A database: every table (or view) with text-like columns is an entry."""

    def open(self, ref: FileRef) -> AbstractContextManager[BinaryIO]:
        raise OSError(0, "a table is read row by row, not as bytes")

    @abstractmethod
    def table(self, ref: FileRef, sample: int | None) -> Extraction:
        """The table's rows as segments (ROW, one Field per column, labelled by the column name), in
        key order, read in batches as they are consumed; at most `sample` rows when set. Binary
        columns are left to `documents`. OSError when it cannot be read."""

    def documents(self, ref: FileRef, sample: int | None) -> Iterator[Member]:
        """Documents held in binary columns (bytea, BLOB), one at a time, each scanned as a member of
        the table (`schema.table!id=17!attachment.xlsx`). OSError when they cannot be read."""
        return iter(())
