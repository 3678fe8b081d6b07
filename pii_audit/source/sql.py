"""What the database stores share: URLs, the walk over databases and tables, rows as segments,
documents in binary columns, error wording. postgresql.py and mysql.py speak to the servers.

A table (or view) is one entry. Its rows are read in primary-key order (views and tables without
a key: in the server's order), in batches from a server-side cursor, as the scan consumes them.
Every column is text for the detector under its column name, exactly like a CSV header, so
`성명`, `주민번호` and `birth_date` give context; NULLs are skipped. A binary column (bytea, BLOB)
whose value is a document the extractors read (xlsx, pdf, docx, zip…) becomes a member of the
table entry, `schema.table!row=17!attachment.xlsx`, scanned like an archive member.

A finding's location names the cell as `<column> @ <key>`: the primary key (`id=17`) when it is
a number, otherwise the row's position in key order (`row #17`), because a text key may itself be
personal data (an e-mail, a resident registration number).

Connections are read-only (the session's transactions are READ ONLY) with a statement timeout
(PII_AUDIT_DB_STATEMENT_TIMEOUT seconds, default 300) and a connect timeout
(PII_AUDIT_REMOTE_TIMEOUT, default 15).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import uuid
from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar
from urllib.parse import quote, unquote, urlsplit

from pii_audit.errors import ExtractError, SourceError, UsageError
from pii_audit.extract.base import row_segment
from pii_audit.model import Extraction, FileRef, Location, Member, Segment
from pii_audit.source.interface import StoreError, TableStore
from pii_audit.source.matching import selected, under_prefix
from pii_audit.source.registry import redact

DEFAULT_STATEMENT_TIMEOUT = 300.0
BATCH = 1000  # rows fetched from the server at a time
# Formats a binary column may hold that the extractors read (sniffed by content).
DOCUMENTS = frozenset(
    {"xlsx", "xls", "docx", "doc", "pptx", "pdf", "hwp", "hwpx", "zip", "7z", "odt", "ods", "rtf", "eml", "msg"}
)


class NotPermitted(ExtractError):
    """The database user may not read this table: the entry is skipped with the reason."""

    status = "skipped"


@dataclass(frozen=True)
class DbURL:
    """`scheme://[user[:password]@]host[:port][/database[/schema[.table]]]` (MySQL: `/database[/table]`)."""

    scheme: str
    host: str
    port: int | None
    user: str | None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    rest: str | None = None  # "schema", "schema.table" (PostgreSQL) or "table" (MySQL)

    @classmethod
    def parse(cls, url: str) -> DbURL:
        shown = redact(url)
        parts = urlsplit(url, allow_fragments=False)
        try:
            port = parts.port
        except ValueError:
            raise UsageError(f"bad port in {shown}") from None
        if not parts.hostname:
            raise UsageError(f"no host in {shown}")
        if parts.query:
            raise UsageError(f"no query options in {shown}: use the environment (see README)")
        names = [unquote(p) for p in parts.path.split("/") if p]
        if len(names) > 2:
            raise UsageError(f"too many path components in {shown}")
        return cls(
            scheme=parts.scheme.lower(),
            host=parts.hostname,
            port=port,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
            database=names[0] if names else None,
            rest=names[1] if len(names) > 1 else None,
        )

    def at(self, database: str | None, rest: str | None = None) -> DbURL:
        return replace(self, database=database, rest=rest)

    @property
    def display(self) -> str:
        """The URL as reports show it: everything but the password."""
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.port else ""
        path = "".join(f"/{quote(p, safe='.')}" for p in (self.database, self.rest) if p)
        return f"{self.scheme}://{user}{host}{port}{path}"

    @property
    def endpoint(self) -> tuple[str, str, int | None, str | None]:
        return (self.scheme, self.host, self.port, self.user)


@dataclass(frozen=True)
class Table:
    """A table or view as the catalogue lists it."""

    schema: str  # PostgreSQL schema; MySQL: the database
    name: str
    estimated_rows: int | None = None
    size: int | None = None  # bytes on disk, when the server says
    readable: bool = True

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class Column:
    name: str
    binary: bool


# Credentials that came in a root URL, remembered in this process (a forked worker logs in again
# with them); a spawned process or a Dask worker has only the environment.
_url_passwords: dict[tuple[str, str, int | None, str | None], str] = {}


def timeouts(env: Mapping[str, str]) -> tuple[float, float]:
    """(connect, statement) timeouts in seconds."""
    try:
        connect = float(env.get("PII_AUDIT_REMOTE_TIMEOUT", 15.0))
        statement = float(env.get("PII_AUDIT_DB_STATEMENT_TIMEOUT", DEFAULT_STATEMENT_TIMEOUT))
    except ValueError:
        raise UsageError("PII_AUDIT_REMOTE_TIMEOUT and PII_AUDIT_DB_STATEMENT_TIMEOUT are seconds") from None
    return connect, statement


def text_of(value: object) -> str | None:
    """A column value as the detector reads it (dates as ISO, JSON as JSON text)."""
    if value is None or isinstance(value, bytes | bytearray | memoryview):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool | int | float | decimal.Decimal | uuid.UUID):
        return str(value)
    return str(value)


class SqlStore(TableStore):
    """A database server. Subclasses connect, read the catalogue and stream rows."""

    user_env: ClassVar[str] = ""
    password_env: ClassVar[str] = ""
    module: ClassVar[str] = ""
    extra: ClassVar[str] = ""
    system_databases: ClassVar[frozenset[str]] = frozenset()

    # --- what a server speaks -------------------------------------------------------------------

    @abstractmethod
    def _connect(self, url: DbURL, database: str | None, user: str | None, password: str | None) -> Any:
        """A read-only connection with timeouts; raises the driver's error."""

    @abstractmethod
    def _databases(self, conn: Any) -> list[str]: ...

    @abstractmethod
    def _tables(self, conn: Any, database: str, rest: str | None) -> list[Table]:
        """Tables and views under `rest` (a schema or one table; None: all), sorted."""

    @abstractmethod
    def _columns(self, conn: Any, table: Table) -> list[Column]: ...

    @abstractmethod
    def _key(self, conn: Any, table: Table) -> list[str]:
        """The primary key's columns, in key order (empty for views and tables without one)."""

    @abstractmethod
    def _rows(self, conn: Any, table: Table, columns: Sequence[str], order: Sequence[str], limit: int | None) -> Any:
        """A context manager yielding an iterator of row tuples, fetched in batches."""

    @abstractmethod
    def _split(self, url: DbURL) -> tuple[str, str] | None:
        """(schema, table) when `url` names one table, else None."""

    @abstractmethod
    def _entry(self, table: Table, url: DbURL) -> tuple[str, DbURL]:
        """A table's path below the database level and its URL."""

    @abstractmethod
    def describe(self, exc: BaseException) -> str:
        """One line on why an operation failed, in words; never a password."""

    # --- credentials and connections ------------------------------------------------------------

    def credentials(self, url: DbURL, env: Mapping[str, str]) -> tuple[str | None, str | None]:
        user = url.user or env.get(self.user_env) or None
        if url.password is not None:
            _url_passwords[url.endpoint] = url.password
            return user, url.password
        return user, _url_passwords.get(url.endpoint) or env.get(self.password_env) or None

    def connect(self, url: DbURL, database: str | None) -> Any:
        try:
            __import__(self.module)
        except ImportError:
            raise UsageError(f"{url.scheme}:// needs {self.module}: pip install 'pii-audit[{self.extra}]'") from None
        user, password = self.credentials(url, os.environ)
        try:
            return self._connect(url, database, user, password)
        except (SourceError, UsageError):
            raise
        except Exception as exc:
            message = self.describe(exc)
            if password:
                message = message.replace(password, "***")
            raise StoreError(f"{url.at(database).display}: {message}") from None

    # --- the Store seam -------------------------------------------------------------------------

    def label(self, root: str) -> str:
        url = DbURL.parse(root)
        return url.rest or url.database or url.host

    def display(self, root: str) -> str:
        return DbURL.parse(root).display

    def walk(
        self, root: str, include: Sequence[str] = (), exclude: Sequence[str] = (), prefix: str = ""
    ) -> Iterator[FileRef]:
        url = DbURL.parse(root)
        if url.database is not None:
            conn = self.connect(url, url.database)
            try:
                yield from self._walk_database(conn, url, url.database, "", include, exclude, prefix)
            finally:
                conn.close()
            return
        conn = self.connect(url, None)
        try:
            databases = [d for d in self._databases(conn) if d not in self.system_databases]
        except Exception as exc:
            raise StoreError(f"{url.display}: {self.describe(exc)}") from None
        finally:
            conn.close()
        for database in databases:
            if not selected(database, (), exclude):
                continue
            try:
                conn = self.connect(url, database)
            except StoreError as exc:  # one database we may not enter is one skipped entry
                reason = str(exc).split(": ", 1)[-1]
                yield FileRef(
                    path=under_prefix(database, prefix), location=url.at(database).display, skip_reason=reason
                )
                continue
            try:
                yield from self._walk_database(conn, url, database, f"{database}/", include, exclude, prefix)
            finally:
                conn.close()

    def _walk_database(
        self,
        conn: Any,
        url: DbURL,
        database: str,
        rel_dir: str,
        include: Sequence[str],
        exclude: Sequence[str],
        prefix: str,
    ) -> Iterator[FileRef]:
        try:
            tables = self._tables(conn, database, url.rest if url.database else None)
        except Exception as exc:
            raise StoreError(f"{url.at(database, url.rest).display}: {self.describe(exc)}") from None
        if url.rest and not tables:
            raise StoreError(f"{url.display}: no such schema or table")
        for table in tables:
            name, location = self._entry(table, url.at(database))
            rel = f"{rel_dir}{name}"
            if not selected(rel, include, exclude):
                continue
            yield FileRef(
                path=under_prefix(rel, prefix),
                location=location.display,
                size=table.size,
                skip_reason=None if table.readable else "not readable by this database user (no SELECT privilege)",
            )

    def stat(self, ref: FileRef) -> FileRef:
        url = DbURL.parse(ref.location)
        conn = self._open_table_connection(url)
        try:
            found = self._tables(conn, url.database or "", url.rest)
        except Exception as exc:
            raise OSError(0, self.describe(exc)) from None
        finally:
            conn.close()
        if not found:
            raise OSError(0, "no such table")
        return replace(ref, size=found[0].size)

    def _open_table_connection(self, url: DbURL) -> Any:
        try:
            return self.connect(url, url.database)
        except (SourceError, UsageError) as exc:
            raise OSError(0, str(exc).split(": ", 1)[-1]) from None

    def _table(self, conn: Any, url: DbURL) -> Table:
        split = self._split(url)
        if split is None:
            raise OSError(0, "not a table URL")
        try:
            found = self._tables(conn, url.database or "", url.rest)
        except Exception as exc:
            raise OSError(0, self.describe(exc)) from None
        if not found:
            raise OSError(0, "no such table")
        return found[0]

    def table(self, ref: FileRef, sample: int | None) -> Extraction:
        """Rows as segments, streamed: the connection lives as long as the segments are read."""
        url = DbURL.parse(ref.location)
        conn = self._open_table_connection(url)
        try:
            table = self._table(conn, url)
            columns = self._columns(conn, table)
            key = self._key(conn, table)
        except Exception:
            conn.close()
            raise
        notes = []
        try:  # one bounded read first: a table we may not read is skipped before any row is analysed
            more = self._more_than(conn, table, columns[0].name if columns else "", sample or 0)
            if sample is not None and more:
                about = f" of about {table.estimated_rows}" if (table.estimated_rows or 0) > sample else ""
                notes.append(f"sampled: the first {sample} rows in key order{about} (--db-sample)")
        except Exception as exc:
            conn.close()
            raise self._read_error(exc) from None
        if not key:
            notes.append("no primary key: rows in the server's order, located by position")
        text_columns = [c.name for c in columns if not c.binary]
        return Extraction(
            format=self.scheme,
            segments=self._segments(conn, table, text_columns, key, sample),
            notes=tuple(notes),
        )

    def _more_than(self, conn: Any, table: Table, column: str, sample: int) -> bool:
        """Whether the table holds more than `sample` rows (reads at most one more, one column)."""
        if not column:
            return False
        with self._rows(conn, table, [column], [], sample + 1) as rows:
            return sum(1 for _ in rows) > sample

    def _segments(
        self, conn: Any, table: Table, columns: list[str], key: list[str], sample: int | None
    ) -> Iterator[Segment]:
        wanted = list(dict.fromkeys([*key, *columns]))
        try:
            with self._rows(conn, table, wanted, key, sample) as rows:
                for number, row in enumerate(rows, start=1):
                    values = dict(zip(wanted, row, strict=True))
                    where = _where(key, values, number)
                    segment = row_segment(
                        columns,
                        [text_of(values[c]) for c in columns],
                        Location(sheet=table.qualified, line=number),
                        cells=[f"{c} @ {where}" for c in columns],
                    )
                    if segment is not None:
                        yield segment
        except NotPermitted:
            raise
        except ExtractError:
            raise
        except Exception as exc:
            raise self._read_error(exc) from None
        finally:
            conn.close()

    def _read_error(self, exc: BaseException) -> ExtractError:
        message = self.describe(exc)
        if message.startswith("access denied"):
            return NotPermitted(f"{message} (no SELECT privilege)")
        return ExtractError(f"read failed: {message}")

    def documents(self, ref: FileRef, sample: int | None) -> Iterator[Member]:
        """Documents held in binary columns, one at a time, as members named `row=<key>!<column>.<format>`."""
        from pii_audit.extract.registry import sniff

        url = DbURL.parse(ref.location)
        conn = self._open_table_connection(url)
        try:
            table = self._table(conn, url)
            binary = [c.name for c in self._columns(conn, table) if c.binary]
            if not binary:
                return
            key = self._key(conn, table)
            wanted = list(dict.fromkeys([*key, *binary]))
            try:
                with self._rows(conn, table, wanted, key, sample) as rows:
                    for number, row in enumerate(rows, start=1):
                        values = dict(zip(wanted, row, strict=True))
                        for column in binary:
                            data = values[column]
                            if not data:
                                continue
                            data = bytes(data)
                            kind = sniff(data, column)
                            if kind in DOCUMENTS:
                                where = _where(key, values, number).replace(" ", "")
                                yield Member(name=f"{where}!{column}.{kind}", data=data)
            except Exception as exc:
                raise OSError(0, self._read_error(exc).args[0]) from None
        finally:
            conn.close()


def _where(key: Sequence[str], values: Mapping[str, object], number: int) -> str:
    """The row as a location shows it: `id=17` for numeric keys, else `row #17` (never a text key)."""
    if key and all(isinstance(values[k], int) and not isinstance(values[k], bool) for k in key):
        return ",".join(f"{k}={values[k]}" for k in key)
    return f"row #{number}"
