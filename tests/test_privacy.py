"""No raw value leaves the scan without --reveal: not in stdout, stderr, any report file, the log
(at debug level, third-party loggers included), the cache, or a crash message.

The scan runs as a subprocess with HOME and the XDG directories in a temporary directory, and the
test then reads *every* file written there, so that outputs added later are covered without
changing this test.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from faker import Faker

from tests.extract.pdfgen import make_pdf
from tests.fixtures import PEOPLE, rrn, write_roster

fake = Faker("ko_KR")
Faker.seed(8)
EMAILS = [f"{fake.user_name()}{i}@{fake.free_email_domain()}" for i in range(len(PEOPLE))]
RRNS = [rrn(birth, 1 + i % 2) for i, (_, birth, _, _) in enumerate(PEOPLE)]
SECRETS = [
    *(name for name, _, _, _ in PEOPLE),
    *(address for _, _, address, _ in PEOPLE),
    *(phone for _, _, _, phone in PEOPLE),
    *RRNS,
    *EMAILS,
]


def plant(root: Path) -> Path:
    """The planted values in every kind of file, including ones that fail part-way."""
    root.mkdir(parents=True)
    write_roster(root / "roster.xlsx")
    rows = [f'{n},{r},"{a}",{p},{e}' for (n, _, a, p), r, e in zip(PEOPLE, RRNS, EMAILS, strict=True)]
    csv_text = "성명,주민등록번호,주소,연락처,이메일\n" + "\n".join(rows) + "\n"
    (root / "export.csv").write_text(csv_text, encoding="utf-8")
    (root / "export-cp949.csv").write_bytes(csv_text.encode("cp949"))
    note = "\n\n".join(
        f"상담 대상자 {n}({r}), 주소 {a}, 연락처 {p}, 메일 {e}"
        for (n, _, a, p), r, e in zip(PEOPLE, RRNS, EMAILS, strict=True)
    )
    (root / "note.txt").write_text(note, encoding="utf-8")
    document = docx.Document()
    for line in note.split("\n\n"):
        document.add_paragraph(line)
    document.save(root / "form.docx")
    (root / "scan.pdf").write_bytes(make_pdf([note.split("\n\n")]))
    (root / "damaged.pdf").write_bytes(make_pdf([note.split("\n\n")])[:-200])  # pypdf warns about it
    (root / "cut.xlsx").write_bytes((root / "roster.xlsx").read_bytes()[:3000])  # fails
    with zipfile.ZipFile(root / "bundle.zip", "w") as archive:
        archive.writestr("inner/export.csv", csv_text)
    return root


def blobs(path: Path) -> list[bytes]:
    """The bytes of a file, and of its members when it is a zip (xlsx, docx reports)."""
    data = path.read_bytes()
    out = [data]
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                out.extend(archive.read(n) for n in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return out


def needles(value: str) -> list[bytes]:
    """A raw value in the encodings an output might use."""
    forms = {value.encode("utf-8"), json.dumps(value)[1:-1].encode("ascii"), value.encode("utf-16-le")}
    with contextlib.suppress(UnicodeEncodeError):
        forms.add(value.encode("cp949"))
    return sorted(forms)


def leaks(data: bytes) -> list[str]:
    return [value for value in SECRETS if any(n in data for n in needles(value))]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    base = tmp_path_factory.mktemp("privacy")
    tree = plant(base / "tree")
    home, out = base / "home", base / "out"
    home.mkdir()
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PII_AUDIT_"))}
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        TMPDIR=str(home / "tmp"),
    )
    (home / "tmp").mkdir()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pii_audit",
            "scan",
            str(tree),
            "--format",
            "json",
            "--output",
            str(out / "report.json"),
            "--json",
            str(out / "also.json"),
            "--csv",
            str(out / "r.csv"),
            "--html",
            str(out / "r.html"),
            "--sarif",
            str(out / "r.sarif"),
            "--xlsx",
            str(out / "r.xlsx"),
            "--findings",
            "--log-level",
            "debug",
            "--log-file",
            str(out / "scan.log"),
            "--fail-on",
            "never",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=base,
        timeout=300,
    )
    return base, tree, proc


def test_the_planted_values_are_findable(scanned: tuple[Path, Path, subprocess.CompletedProcess[str]]) -> None:
    """The search itself works: every value is found in the inputs it was planted in."""
    _, tree, _ = scanned
    found = {v for p in tree.rglob("*") if p.is_file() for blob in blobs(p) for v in leaks(blob)}
    assert found == set(SECRETS)


def test_no_raw_value_in_any_output(scanned: tuple[Path, Path, subprocess.CompletedProcess[str]]) -> None:
    base, tree, proc = scanned
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((base / "out" / "report.json").read_text(encoding="utf-8"))
    assert sum(len(f["findings"]) for f in report["files"]) >= 20, "the scan must have found the planted values"
    assert leaks(proc.stdout.encode()) == [] and leaks(proc.stderr.encode()) == []
    written = [p for p in base.rglob("*") if p.is_file() and tree not in p.parents]
    names = {p.name for p in written}
    assert {"report.json", "also.json", "r.csv", "r.html", "r.sarif", "r.xlsx", "scan.log"} <= names
    assert any("cache" in str(p.relative_to(base)) for p in written), "the cache was not written: nothing checked"
    found = {str(p.relative_to(base)): leaks(b"".join(blobs(p))) for p in written}
    assert {p: v for p, v in found.items() if v} == {}


def test_outputs_are_owner_only(scanned: tuple[Path, Path, subprocess.CompletedProcess[str]]) -> None:
    base, tree, _ = scanned
    for path in (base / "out").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_debug_log_has_content_but_no_values(scanned: tuple[Path, Path, subprocess.CompletedProcess[str]]) -> None:
    base, _, _ = scanned
    log = (base / "out" / "scan.log").read_text(encoding="utf-8")
    assert "DEBUG" in log or "INFO" in log  # the log level took effect
    assert leaks(log.encode()) == []


def test_an_unexpected_error_prints_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    from pii_audit.cli import app as app_module
    from pii_audit.cli.logs import LogLevel, configure

    def broken() -> None:
        raise KeyError(PEOPLE[0][0])  # an exception message that quotes a value

    monkeypatch.setattr(app_module, "register", lambda names=(): broken)  # what main() runs
    close = configure(LogLevel.warning, tmp_path / "crash.log")
    try:
        with pytest.raises(SystemExit) as stopped:
            app_module.main()
    finally:
        close()
    err = capsys.readouterr().err
    assert stopped.value.code == app_module.EXIT_INTERNAL
    assert err.count("\n") == 1 and "KeyError" in err and PEOPLE[0][0] not in err
    log = (tmp_path / "crash.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "KeyError (message withheld)" in log and PEOPLE[0][0] not in log


def test_third_party_records_are_reduced() -> None:
    import logging

    from pii_audit.cli.logs import PrivacyFilter, SafeFormatter

    keep = PrivacyFilter()
    debug = logging.LogRecord("presidio-analyzer", logging.DEBUG, __file__, 1, "text: %s", (PEOPLE[0][0],), None)
    assert not keep.filter(debug)
    warning = logging.LogRecord("pypdf._reader", logging.WARNING, __file__, 1, "bad object %s", (PEOPLE[0][0],), None)
    assert keep.filter(warning) and PEOPLE[0][0] not in warning.getMessage()
    formatted = logging.LogRecord("pypdf", logging.WARNING, __file__, 1, f"bad {PEOPLE[0][0]}", None, None)
    assert keep.filter(formatted) and PEOPLE[0][0] not in formatted.getMessage()
    ours = logging.LogRecord("pii_audit.scan", logging.DEBUG, __file__, 1, "a file took %d s", (3,), None)
    assert keep.filter(ours) and ours.getMessage() == "a file took 3 s"
    try:
        raise ValueError(PEOPLE[0][0])
    except ValueError:
        failing = logging.LogRecord("pii_audit", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    text = SafeFormatter().format(failing)
    assert "ValueError" in text and PEOPLE[0][0] not in text
