"""`mysql://[user@]host[:port][/database[/table]]` (or `mariadb://`): MySQL and MariaDB (PyMySQL).

Without a database, every database the user can see but the system ones; each table and view is an
entry `table` (behind `database/` for a whole server). Credentials: user from the URL, else
PII_AUDIT_MYSQL_USER; password from the URL, else PII_AUDIT_MYSQL_PASSWORD. PII_AUDIT_MYSQL_CA (a
PEM bundle) turns on TLS with the server's certificate verified. Needs SELECT on the tables (and
SHOW DATABASES for a whole server); a table the user may not read is skipped with the reason.
Sessions are READ ONLY with a statement time limit; rows stream from an unbuffered cursor in
primary-key order.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from typing import Any

from pii_audit.source.sql import BATCH, Column, DbURL, SqlStore, Table, timeouts

_BINARY = frozenset({"blob", "tinyblob", "mediumblob", "longblob", "binary", "varbinary"})
_ERRORS = {
    1045: "login failed (wrong user name or password)",
    1049: "no such database",
    1044: "access denied",
    1142: "access denied",
    1143: "access denied",
    1146: "no such table",
    3024: "statement timeout (PII_AUDIT_DB_STATEMENT_TIMEOUT)",  # MySQL max_execution_time
    1969: "statement timeout (PII_AUDIT_DB_STATEMENT_TIMEOUT)",  # MariaDB max_statement_time
    1792: "refused: the connection is read-only",
}


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


class MysqlStore(SqlStore):
    scheme = "mysql"
    module = "pymysql"
    extra = "mysql"
    user_env = "PII_AUDIT_MYSQL_USER"
    password_env = "PII_AUDIT_MYSQL_PASSWORD"
    system_databases = frozenset({"mysql", "information_schema", "performance_schema", "sys"})

    def _connect(self, url: DbURL, database: str | None, user: str | None, password: str | None) -> Any:
        import pymysql

        connect, statement = timeouts(os.environ)
        ca = os.environ.get("PII_AUDIT_MYSQL_CA")
        conn = pymysql.connect(
            host=url.host,
            port=url.port or 3306,
            user=user,
            password=password or "",
            database=database,
            charset="utf8mb4",
            connect_timeout=max(1, round(connect)),
            read_timeout=statement + 30 if statement else None,
            autocommit=True,
            ssl={"ca": ca} if ca else None,
            ssl_verify_cert=bool(ca),
        )
        with conn.cursor() as cursor:
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
            cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for setting in (  # MariaDB knows the first, MySQL the second
                f"SET SESSION max_statement_time = {float(statement)}",
                f"SET SESSION max_execution_time = {int(statement * 1000)}",
            ):
                with contextlib.suppress(pymysql.err.MySQLError):
                    cursor.execute(setting)
        return conn

    def _query(self, conn: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def _databases(self, conn: Any) -> list[str]:
        return sorted(r[0] for r in self._query(conn, "SHOW DATABASES"))

    def _split(self, url: DbURL) -> tuple[str, str] | None:
        return (url.database, url.rest) if url.database and url.rest else None

    def _tables(self, conn: Any, database: str, rest: str | None) -> list[Table]:
        sql = (
            "SELECT table_name, table_rows, data_length + index_length FROM information_schema.tables"
            " WHERE table_schema = %s"
        )
        params: list[Any] = [database]
        if rest:
            sql += " AND table_name = %s"
            params.append(rest)
        rows = self._query(conn, sql + " ORDER BY table_name", params)
        return [Table(database, str(name), _int(est), _int(size)) for name, est, size in rows]

    def _columns(self, conn: Any, table: Table) -> list[Column]:
        rows = self._query(
            conn,
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            [table.schema, table.name],
        )
        return [Column(str(name), str(kind).lower() in _BINARY) for name, kind in rows]

    def _key(self, conn: Any, table: Table) -> list[str]:
        rows = self._query(
            conn,
            "SELECT column_name FROM information_schema.key_column_usage WHERE constraint_name = 'PRIMARY'"
            " AND table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            [table.schema, table.name],
        )
        return [str(r[0]) for r in rows]

    @contextlib.contextmanager
    def _rows(
        self, conn: Any, table: Table, columns: Sequence[str], order: Sequence[str], limit: int | None
    ) -> Iterator[Iterator[tuple[Any, ...]]]:
        import pymysql

        sql = f"SELECT {', '.join(_quote(c) for c in columns)} FROM {_quote(table.schema)}.{_quote(table.name)}"
        if order:
            sql += f" ORDER BY {', '.join(_quote(c) for c in order)}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        cursor = conn.cursor(pymysql.cursors.SSCursor)  # unbuffered: rows arrive as they are read
        try:
            cursor.execute(sql)
            yield _batches(cursor)
        finally:
            cursor.close()

    def _entry(self, table: Table, url: DbURL) -> tuple[str, DbURL]:
        return table.name, url.at(table.schema, table.name)

    def describe(self, exc: BaseException) -> str:
        code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
        if code in _ERRORS:
            return _ERRORS[code]
        text = " ".join(str(exc.args[1] if len(exc.args) > 1 else exc).split())
        if code in (2002, 2003, 2013) or isinstance(exc, ConnectionError | TimeoutError):
            return f"cannot connect: {text}"[:300]
        if "certificate verify failed" in text:
            return "TLS certificate not trusted (PII_AUDIT_MYSQL_CA names a private CA)"
        return f"{type(exc).__name__}: {text}"[:300]


def _batches(cursor: Any) -> Iterator[tuple[Any, ...]]:
    while rows := cursor.fetchmany(BATCH):
        yield from rows


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()) else None
