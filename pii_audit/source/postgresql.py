"""`postgresql://[user@]host[:port][/database[/schema[.table]]]`: PostgreSQL (psycopg 3).

Without a database, every database the user may connect to; without a schema, every schema but
the system ones. Each table, view and materialized view is an entry `schema.table` (behind
`database/` for a whole server). Credentials: user from the URL, else PII_AUDIT_POSTGRES_USER,
else libpq's (PGUSER, the login name); password from the URL, else PII_AUDIT_POSTGRES_PASSWORD,
else libpq's (PGPASSWORD, ~/.pgpass). libpq's TLS settings apply (PGSSLMODE, PGSSLROOTCERT).
Needs CONNECT on the database, USAGE on the schema and SELECT on the tables; a table without
SELECT is listed as skipped. Sessions run with `default_transaction_read_only = on` and a
statement timeout; rows come from a server-side cursor in primary-key order.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from typing import Any

from pii_audit.source.sql import BATCH, Column, DbURL, SqlStore, Table, timeouts

_SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")
_SQLSTATE = {
    "28P01": "login failed (wrong user name or password)",
    "28000": "login refused (no pg_hba.conf entry or role cannot log in)",
    "3D000": "no such database",
    "42501": "access denied",
    "57014": "statement timeout (PII_AUDIT_DB_STATEMENT_TIMEOUT)",
    "25006": "refused: the connection is read-only",
}
_TABLES = """
SELECT n.nspname, c.relname, c.reltuples::bigint,
       pg_total_relation_size(c.oid),
       has_table_privilege(c.oid, 'SELECT')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND has_schema_privilege(n.oid, 'USAGE')
"""


class PostgresStore(SqlStore):
    scheme = "postgresql"
    module = "psycopg"
    extra = "postgresql"
    user_env = "PII_AUDIT_POSTGRES_USER"
    password_env = "PII_AUDIT_POSTGRES_PASSWORD"
    system_databases = frozenset({"template0", "template1"})

    def _connect(self, url: DbURL, database: str | None, user: str | None, password: str | None) -> Any:
        import psycopg

        connect, statement = timeouts(os.environ)
        params: dict[str, Any] = {
            "host": url.host,
            "port": url.port or 5432,
            "dbname": database or "postgres",
            "connect_timeout": max(1, round(connect)),
            "application_name": "pii-audit",
            "options": f"-c default_transaction_read_only=on -c statement_timeout={int(statement * 1000)}",
        }
        if user:
            params["user"] = user
        if password is not None:
            params["password"] = password
        conn = psycopg.connect(**params)
        conn.read_only = True
        return conn

    def _databases(self, conn: Any) -> list[str]:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate"
            " AND has_database_privilege(datname, 'CONNECT') ORDER BY datname"
        ).fetchall()
        conn.rollback()
        return [r[0] for r in rows]

    def _split(self, url: DbURL) -> tuple[str, str] | None:
        if not url.rest or "." not in url.rest:
            return None
        schema, name = url.rest.split(".", 1)
        return schema, name

    def _tables(self, conn: Any, database: str, rest: str | None) -> list[Table]:
        query, params = _TABLES, []
        if rest:
            schema, _, name = rest.partition(".")
            query += " AND n.nspname = %s"
            params.append(schema)
            if name:
                query += " AND c.relname = %s"
                params.append(name)
        rows = conn.execute(query + " ORDER BY 1, 2", params).fetchall()
        conn.rollback()
        return [
            Table(schema, name, None if est is None or est < 0 else int(est), int(size) if size else None, bool(ok))
            for schema, name, est, size, ok in rows
        ]

    def _columns(self, conn: Any, table: Table) -> list[Column]:
        rows = conn.execute(
            "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
            " WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            [_regclass(table)],
        ).fetchall()
        conn.rollback()
        return [Column(name, typname == "bytea") for name, typname in rows]

    def _key(self, conn: Any, table: Table) -> list[str]:
        rows = conn.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
            " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            " WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
            [_regclass(table)],
        ).fetchall()
        conn.rollback()
        return [r[0] for r in rows]

    @contextlib.contextmanager
    def _rows(
        self, conn: Any, table: Table, columns: Sequence[str], order: Sequence[str], limit: int | None
    ) -> Iterator[Iterator[tuple[Any, ...]]]:
        from psycopg import sql

        query = sql.SQL("SELECT {} FROM {}.{}").format(
            sql.SQL(", ").join(sql.Identifier(c) for c in columns),
            sql.Identifier(table.schema),
            sql.Identifier(table.name),
        )
        if order:
            query += sql.SQL(" ORDER BY {}").format(sql.SQL(", ").join(sql.Identifier(c) for c in order))
        if limit is not None:
            query += sql.SQL(" LIMIT {}").format(sql.Literal(limit))
        with conn.cursor(name="pii_audit_rows") as cursor:  # server-side: rows come in batches
            cursor.itersize = BATCH
            cursor.execute(query)
            yield iter(cursor)
        conn.rollback()

    def _entry(self, table: Table, url: DbURL) -> tuple[str, DbURL]:
        return table.qualified, url.at(url.database, table.qualified)

    def describe(self, exc: BaseException) -> str:
        state = getattr(exc, "sqlstate", None)
        if state in _SQLSTATE:
            return _SQLSTATE[state]
        text = " ".join(str(exc).split())
        if "password authentication failed" in text:
            return _SQLSTATE["28P01"]
        if "does not exist" in text and "database" in text:
            return _SQLSTATE["3D000"]
        if "no password supplied" in text:
            return "login failed (no password: set PII_AUDIT_POSTGRES_PASSWORD)"
        if "Connection refused" in text or "timeout expired" in text or "could not translate host" in text:
            tail = text.rsplit(": ", 1)[-1] if ": " in text else text
            return f"cannot connect: {tail}"[:300]
        return f"{type(exc).__name__}: {text}"[:300]


def _regclass(table: Table) -> str:
    quote = lambda s: '"' + s.replace('"', '""') + '"'  # noqa: E731
    return f"{quote(table.schema)}.{quote(table.name)}"
