"""Database URLs, credentials, error wording and row rendering: no server needed."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from pii_audit.errors import UsageError
from pii_audit.source.mysql import MysqlStore
from pii_audit.source.postgresql import PostgresStore
from pii_audit.source.registry import store_for
from pii_audit.source.sql import DbURL, _where, text_of


@pytest.mark.parametrize(
    ("url", "database", "rest", "display"),
    [
        (
            "postgresql://alice:s3cret@db:5433/hr/public.members",
            "hr",
            "public.members",
            "postgresql://alice@db:5433/hr/public.members",
        ),
        ("postgresql://db", None, None, "postgresql://db"),
        ("postgresql://db/hr/", "hr", None, "postgresql://db/hr"),
        ("mysql://bob:pw@127.0.0.1/crm/members", "crm", "members", "mysql://bob@127.0.0.1/crm/members"),
        ("mysql://h/%ED%9A%8C%EC%9B%90", "회원", None, "mysql://h/%ED%9A%8C%EC%9B%90"),
    ],
)
def test_parse_and_display_never_show_the_password(
    url: str, database: str | None, rest: str | None, display: str
) -> None:
    parsed = DbURL.parse(url)
    assert (parsed.database, parsed.rest) == (database, rest)
    assert parsed.display == display
    assert DbURL.parse(parsed.display).display == display  # a location round-trips
    assert "s3cret" not in repr(parsed)


@pytest.mark.parametrize(
    "url", ["postgresql://:pw@/hr", "mysql://h:port/x", "postgresql://h/a/b/c", "mysql://h/db?ssl=1"]
)
def test_bad_urls_are_usage_errors_without_the_password(url: str) -> None:
    with pytest.raises(UsageError) as info:
        DbURL.parse(url)
    assert "pw" not in str(info.value).replace("pwd", "")


def test_schemes_pick_the_database_stores() -> None:
    assert isinstance(store_for("postgresql://h/db"), PostgresStore)
    assert isinstance(store_for("postgres://h/db"), PostgresStore)
    assert isinstance(store_for("mysql://h/db"), MysqlStore)
    assert isinstance(store_for("mariadb://h/db"), MysqlStore)


def test_credentials_come_from_the_url_first_then_the_environment() -> None:
    store = PostgresStore()
    env = {"PII_AUDIT_POSTGRES_USER": "envuser", "PII_AUDIT_POSTGRES_PASSWORD": "envpw"}
    assert store.credentials(DbURL.parse("postgresql://db1/hr"), env) == ("envuser", "envpw")
    assert store.credentials(DbURL.parse("postgresql://carol:urlpw@db2/hr"), env) == ("carol", "urlpw")
    # a worker reopening a table by its location (no password) logs in as the root URL did
    assert store.credentials(DbURL.parse("postgresql://carol@db2/hr/public.t"), {}) == ("carol", "urlpw")


def test_mysql_errors_in_words() -> None:
    import pymysql

    store = MysqlStore()
    denied = pymysql.err.OperationalError(1045, "Access denied for user 'a'@'h' (using password: YES)")
    assert store.describe(denied) == "login failed (wrong user name or password)"
    assert store.describe(pymysql.err.OperationalError(1049, "Unknown database 'x'")) == "no such database"
    refused = pymysql.err.OperationalError(2003, "Can't connect to MySQL server on '127.0.0.1' ([Errno 111] refused)")
    assert store.describe(refused).startswith("cannot connect: Can't connect")
    assert store.describe(pymysql.err.OperationalError(1142, "SELECT command denied")) == "access denied"


def test_postgres_errors_in_words() -> None:
    import psycopg

    store = PostgresStore()
    failed = psycopg.OperationalError('connection failed: FATAL:  password authentication failed for user "a"')
    assert store.describe(failed) == "login failed (wrong user name or password)"
    missing = psycopg.OperationalError('connection failed: FATAL:  database "nope" does not exist')
    assert store.describe(missing) == "no such database"


def test_values_become_the_text_a_csv_would_hold() -> None:
    assert text_of(dt.date(1971, 3, 14)) == "1971-03-14"
    assert text_of(decimal.Decimal("1234.50")) == "1234.50"
    assert text_of({"성명": "김영수"}) == '{"성명": "김영수"}'
    assert text_of(b"\x00binary") is None and text_of(None) is None


def test_a_row_is_located_by_a_numeric_key_never_by_a_text_one() -> None:
    assert _where(["id"], {"id": 17}, 3) == "id=17"
    assert _where(["org", "seq"], {"org": 2, "seq": 9}, 3) == "org=2,seq=9"
    assert _where(["rrn"], {"rrn": "710314-1234567"}, 3) == "row #3"  # a personal key is never shown
    assert _where([], {}, 5) == "row #5"
