"""URL parsing, redaction, credentials from the environment, error wording: no server needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pii_audit.errors import UsageError
from pii_audit.source.remote import RemoteURL, describe, is_url, options, redact


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("smb://u@h/share", True),
        ("s3://bucket", True),
        ("sftp://h/dir", True),
        ("/srv/share", False),
        ("C:\\share", False),
        ("relative/dir", False),
        ("smb:/not-a-url", False),
    ],
)
def test_is_url(root: str, expected: bool) -> None:
    assert is_url(root) is expected


@pytest.mark.parametrize(
    ("url", "scheme", "host", "port", "user", "path", "display"),
    [
        (
            "smb://alice:s3cret@files:4455/hr/2024",
            "smb",
            "files",
            4455,
            "alice",
            "/hr/2024",
            "smb://alice@files:4455/hr/2024",
        ),
        ("smb://files/hr/", "smb", "files", None, None, "/hr", "smb://files/hr"),
        ("smb://CORP;bob@files/hr", "smb", "files", None, "CORP;bob", "/hr", "smb://CORP;bob@files/hr"),
        ("s3://bucket/a/b/", "s3", "bucket", None, None, "bucket/a/b", "s3://bucket/a/b"),
        ("s3://bucket", "s3", "bucket", None, None, "bucket", "s3://bucket"),
        ("sftp://carol:pw@host:2222/home/c", "sftp", "host", 2222, "carol", "/home/c", "sftp://carol@host:2222/home/c"),
        (
            "smb://h/share/with%20space/#1",
            "smb",
            "h",
            None,
            None,
            "/share/with space/#1",
            "smb://h/share/with%20space/%231",
        ),
    ],
)
def test_parse_and_display(
    url: str, scheme: str, host: str, port: int | None, user: str | None, path: str, display: str
) -> None:
    parsed = RemoteURL.parse(url)
    assert (parsed.scheme, parsed.host, parsed.port, parsed.user, parsed.path) == (scheme, host, port, user, path)
    assert parsed.display == display
    assert RemoteURL.parse(parsed.display).path == path  # a location round-trips
    assert "s3cret" not in repr(parsed) and "pw" not in parsed.display


@pytest.mark.parametrize("url", ["ftp://h/x", "smb://h", "smb://h/", "smb://:pw@/share", "smb://h:notaport/share"])
def test_bad_urls_are_usage_errors_without_the_password(url: str) -> None:
    with pytest.raises(UsageError) as info:
        RemoteURL.parse(url)
    assert "pw" not in str(info.value)


def test_redact() -> None:
    assert redact("smb://alice:s3cret@files:4455/hr") == "smb://alice@files:4455/hr"
    assert redact("smb://alice@files/hr") == "smb://alice@files/hr"
    assert redact("sftp://u:p%40ss@h/d") == "sftp://u@h/d"
    assert redact("/local/path:with@odd") == "/local/path:with@odd"


def test_smb_credentials_come_from_the_url_first_then_the_environment() -> None:
    env = {"PII_AUDIT_SMB_USER": "envuser", "PII_AUDIT_SMB_PASSWORD": "envpw", "PII_AUDIT_REMOTE_TIMEOUT": "3"}
    opts = options(RemoteURL.parse("smb://files:4455/hr"), env)
    assert (opts["host"], opts["port"], opts["username"], opts["password"], opts["timeout"]) == (
        "files",
        4455,
        "envuser",
        "envpw",
        3.0,
    )
    opts = options(RemoteURL.parse("smb://CORP;bob:urlpw@files/hr"), env)
    assert (opts["username"], opts["password"]) == ("CORP\\bob", "urlpw")


def test_s3_and_sftp_options() -> None:
    env = {"PII_AUDIT_S3_ENDPOINT_URL": "http://127.0.0.1:9000", "PII_AUDIT_SFTP_PASSWORD": "pw"}
    s3 = options(RemoteURL.parse("s3://bucket/x"), env)
    assert s3["endpoint_url"] == "http://127.0.0.1:9000" and "key" not in s3  # botocore finds AWS_* itself
    sftp = options(RemoteURL.parse("sftp://carol@host/dir"), env)
    assert (sftp["host"], sftp["port"], sftp["username"], sftp["password"]) == ("host", 22, "carol", "pw")
    assert sftp["look_for_keys"] is False


def test_describe_is_one_line_and_hides_secrets() -> None:
    message = describe(ValueError("Failed to connect to 'h:1': [Errno 111] Connection\nrefused hunter2"), ["hunter2"])
    assert message == "cannot connect: [Errno 111] Connection refused ***"
    assert describe(FileNotFoundError(2, "nope")) == "no such file or directory"
    assert describe(PermissionError(13, "nope")) == "access denied"


def test_webdav_options_verify_tls_and_keep_the_password_out_of_the_url(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")  # only its existence is checked here
    env = {"PII_AUDIT_WEBDAV_USER": "envuser", "PII_AUDIT_WEBDAV_PASSWORD": "envpw"}
    plain = options(RemoteURL.parse("webdav://files:8080/remote.php/dav/files/a"), env)
    assert (plain["base_url"], plain["auth"], plain["verify"]) == ("http://files:8080", ("envuser", "envpw"), True)
    assert plain["follow_redirects"] is True and plain["trust_env"] is False
    url = RemoteURL.parse("webdavs://bob:urlpw@cloud.example.org/dav/x")
    assert url.display == "webdavs://bob@cloud.example.org/dav/x"
    assert options(url, env)["base_url"] == "https://cloud.example.org"
    assert options(url, env)["auth"] == ("bob", "urlpw")
    with pytest.raises(UsageError, match="PII_AUDIT_WEBDAV_CA"):
        options(url, {"PII_AUDIT_WEBDAV_CA": str(tmp_path / "missing.pem")})
    assert (
        describe(type("ConnectError", (Exception,), {})("Connection refused")) == "cannot connect: Connection refused"
    )
