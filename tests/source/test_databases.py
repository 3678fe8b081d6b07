"""postgresql:// and mysql:// against real servers (tests/servers/postgres.py, mariadb.py) through the CLI.

Each server holds the same database: a roster table (`members`), a table with no personal data
(`products`), a table whose binary column holds an xlsx roster (`applications`) and a table the
auditor may not read (`secret`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pii_audit.source.registry import store_for
from pii_audit.source.sql import DbURL, SqlStore
from tests.fixtures import rrn, write_roster
from tests.source.helpers import by_path, report, scan
from tests.test_scan import roster_rows

ROWS = 30
HEADERS = ["id", "성명", "주민번호", "주소", "연락처", "birth_date"]


def members() -> list[list[Any]]:
    import datetime as dt

    rows = []
    for i, (name, birth, address, phone) in enumerate(roster_rows(ROWS), start=1):
        born = dt.date.fromisoformat(birth)
        rows.append([i, name, rrn(born, 1 + i % 2), address, phone, born])
    return rows


PRODUCTS = [
    (1, "사무용 의자", "등받이 높이 조절, 회색"),
    (2, "A4 복사용지", "500매 묶음, 80g"),
    (3, "Desk lamp", "LED, 5 W"),
]


@dataclass
class Database:
    kind: str
    url: str  # the database's URL, no password
    env: dict[str, str]
    password: str
    prefix: str  # what qualifies a table name in paths: "public." on PostgreSQL


def _attachment(tmp: Path) -> bytes:
    return write_roster(tmp / "attachment.xlsx").read_bytes()


@pytest.fixture(scope="module")
def postgres_db(postgres_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Database:
    columns = ", ".join(f'"{h}"' for h in HEADERS[1:])
    statements: list[Any] = [
        'CREATE TABLE members (id integer PRIMARY KEY, "성명" text, "주민번호" text, "주소" text, "연락처" text,'
        " birth_date date)",
        "CREATE TABLE products (id integer PRIMARY KEY, item text, description text)",
        "CREATE TABLE applications (id integer PRIMARY KEY, title text, attachment bytea)",
        "CREATE TABLE secret (id integer PRIMARY KEY, note text)",
        "REVOKE SELECT ON secret FROM auditor",
    ]
    for row in members():
        statements.append((f"INSERT INTO members (id, {columns}) VALUES (%s, %s, %s, %s, %s, %s)", row))
    for row in PRODUCTS:
        statements.append(("INSERT INTO products VALUES (%s, %s, %s)", list(row)))
    xlsx = _attachment(tmp_path_factory.mktemp("pg"))
    statements.append(("INSERT INTO applications VALUES (1, %s, %s)", ["지원서 첨부", xlsx]))
    statements.append(("INSERT INTO applications VALUES (2, %s, %s)", ["서명 이미지", b"\x00\x01binary-not-a-doc"]))
    postgres_server.create_database("hr", statements)
    return Database("postgresql", f"{postgres_server.url}/hr", postgres_server.env, postgres_server.password, "public.")


@pytest.fixture(scope="module")
def mariadb_db(mariadb_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Database:
    from tests.servers.mariadb import AUDITOR

    columns = ", ".join(f"`{h}`" for h in HEADERS[1:])
    statements: list[Any] = [
        "CREATE TABLE members (id int PRIMARY KEY, `성명` text, `주민번호` varchar(14), `주소` text,"
        " `연락처` varchar(20), birth_date date)",
        "CREATE TABLE products (id int PRIMARY KEY, item text, description text)",
        "CREATE TABLE applications (id int PRIMARY KEY, title text, attachment longblob)",
        "CREATE TABLE secret (id int PRIMARY KEY, note text)",
    ]
    for row in members():
        statements.append((f"INSERT INTO members (id, {columns}) VALUES (%s, %s, %s, %s, %s, %s)", row))
    for row in PRODUCTS:
        statements.append(("INSERT INTO products VALUES (%s, %s, %s)", list(row)))
    xlsx = _attachment(tmp_path_factory.mktemp("my"))
    statements.append(("INSERT INTO applications VALUES (1, %s, %s)", ["지원서 첨부", xlsx]))
    statements.append(("INSERT INTO applications VALUES (2, %s, %s)", ["서명 이미지", b"\x00\x01binary-not-a-doc"]))
    statements += [f"GRANT SELECT ON hr.{t} TO {AUDITOR}" for t in ("members", "products", "applications")]
    statements.append(f"GRANT INSERT ON hr.secret TO {AUDITOR}")  # listed, but not readable
    mariadb_server.create_database("hr", statements)
    return Database("mysql", f"{mariadb_server.url}/hr", mariadb_server.env, mariadb_server.password, "")


@pytest.fixture(params=["postgres", "mariadb"])
def db(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue(f"{request.param}_db")  # type: ignore[no-any-return]


def _same_roster_as_a_csv(tmp: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([[str(v) if not hasattr(v, "isoformat") else v.isoformat() for v in r] for r in members()])
    path = tmp / "members.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _yield(f: dict[str, Any]) -> tuple[Any, ...]:
    """What a file yields, without where it was read from (cells are named differently)."""
    keep = ("entity_counts", "persons", "exposed_persons", "identity_complete_persons", "records")
    return tuple(f[k] for k in keep) + (sorted((x["fingerprint"], x["masked"]) for x in f["findings"]),)


def test_the_roster_table_ranks_first_and_finds_what_the_same_csv_finds(db: Database, tmp_path: Path) -> None:
    rep = report(scan([db.url], db.env))
    files = by_path(rep)
    p = db.prefix
    assert set(files) == {
        f"{p}members",
        f"{p}products",
        f"{p}applications",
        f"{p}applications!id=1!attachment.xlsx",
        f"{p}secret",
    }
    assert rep["files"][0]["path"] == f"{p}members"
    roster = files[f"{p}members"]
    assert roster["status"] == "scanned" and roster["format"] == db.kind
    assert roster["identity_complete_persons"] == ROWS and roster["severity"] in ("high", "critical")
    assert {"KR_RRN", "ADDRESS", "PERSON"} <= set(roster["entity_counts"])
    first = roster["findings"][0]["location"]
    assert first["sheet"] == f"{p or 'hr.'}members" and first["cell"].endswith("@ id=1") and first["line"] == 1
    local = report(scan([str(_same_roster_as_a_csv(tmp_path))], {}))["files"][0]
    assert _yield(roster) == _yield(local)
    products = files[f"{p}products"]
    assert products["status"] == "scanned" and products["findings"] == [] and products["entity_counts"] == {}
    attachment = files[f"{p}applications!id=1!attachment.xlsx"]
    assert attachment["status"] == "scanned" and attachment["format"] == "xlsx"
    assert attachment["identity_complete_persons"] == 4
    secret = files[f"{p}secret"]
    assert secret["status"] == "skipped" and "SELECT" in secret["reason"]
    assert rep["scan"]["roots"] == [db.url]


def test_db_sample_reads_the_first_rows_and_says_so(db: Database) -> None:
    rep = report(scan([db.url, "--db-sample", "5", "--include", "*members"], db.env))
    (roster,) = rep["files"]
    assert roster["exposed_persons"] == 5
    assert any(n.startswith("sampled: the first 5 rows in key order") for n in roster["notes"]), roster["notes"]
    assert rep["scan"]["options"]["db_sample"] == 5


def test_globs_choose_tables(db: Database) -> None:
    rep = report(scan([db.url, "--exclude", "*secret", "--exclude", "*applications"], db.env))
    assert {f["path"] for f in rep["files"]} == {f"{db.prefix}members", f"{db.prefix}products"}


def test_a_whole_server_lists_databases_as_folders(db: Database) -> None:
    server = db.url.rsplit("/", 1)[0]
    rep = report(scan([server, "--include", "*members"], db.env))
    assert [f["path"] for f in rep["files"]] == [f"hr/{db.prefix}members"]


def _one_line_error(output: str, password: str) -> str:
    assert "Traceback" not in output and password not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), output
    return lines[0]


def test_wrong_password_missing_database_and_unreachable_server_exit_2(db: Database) -> None:
    from tests.servers import free_port

    password_env = next(iter(db.env))
    wrong = "Wrong-Pw-123"
    result = scan([db.url], {password_env: wrong})
    assert result.exit_code == 2, result.output
    assert "login failed" in _one_line_error(result.output, wrong)
    result = scan([db.url.rsplit("/", 1)[0] + "/nosuchdb"], db.env)
    assert result.exit_code == 2, result.output
    line = _one_line_error(result.output, db.password)
    assert "no such database" in line or "access denied" in line  # MariaDB says "denied" for unknown names
    parsed = DbURL.parse(db.url)
    closed = db.url.replace(f":{parsed.port}/", f":{free_port()}/")
    result = scan([closed], {**db.env, "PII_AUDIT_REMOTE_TIMEOUT": "3"})
    assert result.exit_code == 2, result.output
    assert "cannot connect" in _one_line_error(result.output, db.password)


def test_password_in_url_is_accepted_and_never_echoed(db: Database) -> None:
    with_password = db.url.replace("auditor@", f"auditor:{db.password}@")
    result = scan([with_password, "--include", "*products"], {})
    rep = report(result) if result.exit_code == 1 else None
    assert result.exit_code in (0, 1), result.output
    assert db.password not in result.output
    if rep is None:
        rep = json.loads(result.stdout)
    assert rep["scan"]["roots"] == [db.url]


def test_the_connection_is_read_only(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in db.env.items():
        monkeypatch.setenv(key, value)
    store = store_for(db.url)
    assert isinstance(store, SqlStore)
    conn = store.connect(DbURL.parse(db.url), "hr")
    write: Callable[[str], Any]
    if db.kind == "postgresql":
        write = conn.execute
    else:
        cursor = conn.cursor()
        write = cursor.execute
    try:
        with pytest.raises(Exception) as info:
            write("CREATE TABLE written_by_a_scan (i integer)")
        assert "read" in str(info.value).lower() and "only" in str(info.value).lower(), info.value
    finally:
        conn.close()


def test_views_text_keys_and_tables_without_a_key(db: Database, request: pytest.FixtureRequest) -> None:
    """A text key (here an e-mail) never appears in a location; a table without a key and a view are
    read in the server's order and located by position."""
    q = '"' if db.kind == "postgresql" else "`"
    statements: list[Any] = [
        f"CREATE TABLE contacts (email varchar(80) PRIMARY KEY, {q}성명{q} text, {q}연락처{q} text)",
        f"CREATE TABLE guestbook ({q}성명{q} text, {q}연락처{q} text)",
        f"CREATE VIEW phone_list AS SELECT {q}성명{q}, {q}연락처{q} FROM contacts",
    ]
    for i, (name, _, _, phone) in enumerate(roster_rows(6)):
        statements.append(("INSERT INTO contacts VALUES (%s, %s, %s)", [f"member{i}@example.org", name, phone]))
        statements.append(("INSERT INTO guestbook VALUES (%s, %s)", [name, phone]))
    if db.kind == "postgresql":
        request.getfixturevalue("postgres_server").create_database("crm", statements)
    else:
        from tests.servers.mariadb import AUDITOR

        statements.append(f"GRANT SELECT ON crm.* TO {AUDITOR}")
        request.getfixturevalue("mariadb_server").create_database("crm", statements)
    url = db.url.rsplit("/", 1)[0] + "/crm"
    result = scan([url], db.env)
    assert result.exit_code == 0, result.output  # phone numbers and names only: below the gate
    files = by_path(json.loads(result.stdout))
    p = db.prefix
    assert set(files) == {f"{p}contacts", f"{p}guestbook", f"{p}phone_list"}
    for path, f in files.items():
        assert f["status"] == "scanned" and f["entity_counts"].get("PHONE_NUMBER") == 6, (path, f)
        cells = {x["location"]["cell"] for x in f["findings"]}
        assert cells and all("@ row #" in c for c in cells), cells
        assert not any("example.org" in c for c in cells)
    assert "no primary key: rows in the server's order, located by position" in files[f"{p}guestbook"]["notes"]
