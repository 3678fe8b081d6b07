"""SQLite databases: every table, one ROW segment per row labelled by its column names.

sqlite3 reads only files: the bytes go to a private temporary file (a 0700 directory, a 0600
file, removed afterwards) opened read-only and immutable, so SQLite writes no journal beside it.
A finding's location is `sheet` = table name and `cell` = `<column> @ rowid <N>` (`@ row <N>` for
WITHOUT ROWID tables), which is what `SELECT <column> FROM <table> WHERE rowid = N` needs.
Internal `sqlite_*` tables are skipped; BLOBs are read only when they are UTF-8 text.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pii_audit.errors import CorruptFile
from pii_audit.extract.base import row_segment
from pii_audit.model import Extraction, Location, Segment

MAGIC = b"SQLite format 3\x00"
MAX_ROWS = 1_000_000  # per table


class SqliteExtractor:
    format = "sqlite"

    def __init__(self, max_rows: int = MAX_ROWS) -> None:
        self.max_rows = max_rows

    def extract(self, data: bytes) -> Extraction:
        folder = tempfile.mkdtemp(prefix="pii-audit-")  # mkdtemp makes it 0700
        try:
            path = Path(folder) / "db.sqlite"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
            try:
                return self._read(connection)
            except sqlite3.DatabaseError as exc:
                raise CorruptFile(f"sqlite: {type(exc).__name__}") from None
            finally:
                connection.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _read(self, connection: sqlite3.Connection) -> Extraction:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                "ORDER BY name"
            )
        ]
        segments: list[Segment] = []
        notes: list[str] = []
        for table in tables:
            try:
                for rows, segment in enumerate(self._rows(connection, table)):
                    if rows >= self.max_rows:
                        notes.append(f"table {table}: only the first {self.max_rows} rows scanned")
                        break
                    if segment is not None:
                        segments.append(segment)
            except sqlite3.OperationalError as exc:  # a virtual table whose module is missing, …
                notes.append(f"table {table}: not readable ({type(exc).__name__})")
        return Extraction(format=self.format, segments=tuple(segments), notes=tuple(notes))

    def _rows(self, connection: sqlite3.Connection, table: str) -> Iterator[Segment | None]:
        quoted = '"' + table.replace('"', '""') + '"'
        try:
            cursor = connection.execute(f"SELECT rowid, * FROM {quoted}")  # noqa: S608 - quoted identifier
            with_rowid = True
        except sqlite3.OperationalError:
            cursor = connection.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - WITHOUT ROWID table
            with_rowid = False
        columns = [d[0] for d in cursor.description][1 if with_rowid else 0 :]
        for number, row in enumerate(cursor, start=1):
            values = row[1:] if with_rowid else row
            where = f"rowid {row[0]}" if with_rowid else f"row {number}"
            yield row_segment(
                columns,
                [_text(v) for v in values],
                Location(sheet=table),
                cells=[f"{c} @ {where}" for c in columns],
            )


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return str(value)
