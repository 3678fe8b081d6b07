"""A hostile corpus: files built to crash, hang, exhaust, escape or confuse a scanner.

`build(root)` writes the corpus under `root` and returns one `Case` per file it made, with the
statuses the scan may give it. Every case must appear in the JSON report with one of them (and a
reason when it is not scanned), and the run must finish with exit code 0 or 1, never a traceback.
Generated, deterministic (fixed seeds), synthetic: no real data, and nothing left outside `root`
except the target of the "link out of the root" cases, which the caller provides.

Sizes are kept small enough for the suite (a few seconds each with --no-english-model); the cases
that are slow by design are meant to hit the per-file timeout that the test sets.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import random
import sqlite3
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.extract.builders import csv_text, docx_bytes, xlsx_bytes
from tests.extract.containers import nested_bomb, overlapping_zip
from tests.extract.pdfgen import make_pdf
from tests.fixtures import PEOPLE, rrn

SCANNED, SKIPPED, FAILED = "scanned", "skipped", "failed"
ANY = frozenset({SCANNED, SKIPPED, FAILED})
NOT_SCANNED = frozenset({SKIPPED, FAILED})
SCANNED_OR_FAILED = frozenset({SCANNED, FAILED})  # a slow case may time out


@dataclass(frozen=True)
class Case:
    path: str  # as the report shows it (relative, `/`)
    what: str  # what the case attacks
    expect: frozenset[str] = ANY
    reason: str | None = None  # a substring the reason must contain (case-insensitive)


# -- valid samples of every supported format -------------------------------------------------------

ROSTER = "성명,주민등록번호,주소,연락처\n" + "".join(
    f"{n},{rrn(b, 1 + i % 2)},{a.replace(',', '')},{p}\n" for i, (n, b, a, p) in enumerate(PEOPLE)
)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _tar(members: dict[str, bytes], mode: str = "w") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as archive:  # type: ignore[call-overload]
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _sqlite() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "db.sqlite"
        con = sqlite3.connect(path)
        con.execute("create table people (name text, rrn text, address text)")
        con.executemany("insert into people values (?, ?, ?)", [(n, rrn(b, 1), a) for n, b, a, _ in PEOPLE])
        con.commit()
        con.close()
        return path.read_bytes()


def _7z(members: dict[str, bytes], password: str | None = None) -> bytes:
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w", password=password, header_encryption=bool(password)) as archive:
        for name, data in members.items():
            archive.writef(io.BytesIO(data), name)
    return out.getvalue()


def _eml(attachment_name: str = "roster.csv", body: str = "첨부한 명단을 확인해 주세요.") -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "sender@example.org"
    msg["To"] = "receiver@example.org"
    msg["Subject"] = "명단"
    msg.set_content(body)
    msg.add_attachment(ROSTER.encode("utf-8"), maintype="text", subtype="csv", filename=attachment_name)
    return bytes(msg)


def _mbox() -> bytes:
    one = _eml()
    return (
        b"From sender@example.org Mon Jan  1 00:00:00 2024\n"
        + one
        + b"\n\nFrom x@example.org Mon Jan  1 00:00:01 2024\n"
        + _eml(body="두 번째")
        + b"\n"
    )


def _stored_first(mimetype: str, members: dict[str, bytes]) -> bytes:
    """ODF and HWPX: an uncompressed `mimetype` member first, then the rest."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def _odf(kind: str) -> bytes:
    lines = "".join(f"<text:p>{line}</text:p>" for line in ROSTER.splitlines())
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS} office:version="1.2">'
        f"<office:body><office:text>{lines}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        f'{kind}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return _stored_first(
        f"application/vnd.oasis.opendocument.{kind}",
        {"content.xml": content.encode(), "META-INF/manifest.xml": manifest.encode()},
    )


def _hwpx() -> bytes:
    ns = 'xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"'
    paragraphs = "".join(f"<hp:p><hp:run><hp:t>{line}</hp:t></hp:run></hp:p>" for line in ROSTER.splitlines())
    section = f'<?xml version="1.0" encoding="UTF-8"?><hs:sec {ns}>{paragraphs}</hs:sec>'
    return _stored_first("application/hwp+zip", {"Contents/section0.xml": section.encode()})


def _hwp() -> bytes:
    from tests.extract.hwp_writer import hwp_file, paragraph

    return hwp_file(b"".join(paragraph(line) for line in ROSTER.splitlines()))


def _hwp3() -> bytes:
    from tests.extract.hwp3_writer import hwp3_file, paragraph, table

    lines = ROSTER.splitlines()
    rows = [line.split(",") for line in lines[:4]]
    return hwp3_file([*(paragraph(line) for line in lines), paragraph(table(rows, caption="명단"))])


def _xls() -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("명단")
    for r, line in enumerate(ROSTER.splitlines()):
        for c, value in enumerate(line.split(",")):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pptx() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(4))
    box.text_frame.text = ROSTER
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _rtf() -> bytes:
    def escape(ch: str) -> str:
        code = ord(ch)
        return ch if code < 128 else f"\\u{code - 65536 if code > 32767 else code}?"

    body = "\\par\n".join("".join(escape(ch) for ch in line) for line in ROSTER.splitlines())
    return ("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Batang;}}\n" + body + "\\par\n}").encode("ascii")


def _html() -> bytes:
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in line.split(",")) + "</tr>" for line in ROSTER.splitlines()
    )
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><table>{rows}</table></body></html>".encode()


def _json() -> bytes:
    import json

    header, *rows = [line.split(",") for line in ROSTER.splitlines()]
    return json.dumps([dict(zip(header, row, strict=True)) for row in rows], ensure_ascii=False).encode()


def _xml() -> bytes:
    header, *rows = [line.split(",") for line in ROSTER.splitlines()]
    people = "".join(
        "<person>" + "".join(f"<field name='{h}'>{v}</field>" for h, v in zip(header, row, strict=True)) + "</person>"
        for row in rows
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><people>{people}</people>'.encode()


SAMPLES: dict[str, Callable[[], bytes]] = {
    "text": lambda: ("상담 기록\n\n" + ROSTER.replace(",", " ")).encode("utf-8"),
    "csv": lambda: csv_text().encode("utf-8"),
    "tsv": lambda: ROSTER.replace(",", "\t").encode("utf-8"),
    "xlsx": xlsx_bytes,
    "docx": docx_bytes,
    "pdf": lambda: make_pdf([["교육생 명단", *ROSTER.splitlines()], []]),
    "sqlite": _sqlite,
    "zip": lambda: _zip({"dir/roster.csv": ROSTER.encode(), "note.txt": "메모".encode()}),
    "tar": lambda: _tar({"dir/roster.csv": ROSTER.encode()}),
    "gzip": lambda: gzip.compress(ROSTER.encode(), mtime=0),
    "bzip2": lambda: bz2.compress(ROSTER.encode()),
    "xz": lambda: lzma.compress(ROSTER.encode()),
    "7z": lambda: _7z({"roster.csv": ROSTER.encode()}),
    "eml": _eml,
    "mbox": _mbox,
    "html": _html,
    "json": _json,
    "xml": _xml,
    "rtf": _rtf,
    "xls": _xls,
    "pptx": _pptx,
    "hwp": _hwp,
    "hwpx": _hwpx,
    "hwp3": _hwp3,
    "odt": lambda: _odf("text"),
    "ods": lambda: _odf("spreadsheet"),
    "odp": lambda: _odf("presentation"),
    "odf": lambda: _odf("graphics"),
    "msg": lambda: _msg(),
}


def _msg() -> bytes:
    from tests.extract.test_msg import msg_bytes

    return msg_bytes()


SUFFIX = {
    "text": "txt",
    "hwp3": "hwp",
    "gzip": "csv.gz",
    "bzip2": "csv.bz2",
    "xz": "csv.xz",
    "sqlite": "db",
    "mbox": "mbox",
}


def truncated(data: bytes, keep: float) -> bytes:
    return data[: max(1, int(len(data) * keep))]


def bit_flipped(data: bytes, seed: int, flips: int = 12) -> bytes:
    """`flips` single-bit errors, away from the first bytes so that the format is still sniffed."""
    rng = random.Random(seed)
    out = bytearray(data)
    start = min(len(out) - 1, 16)
    for _ in range(flips):
        at = rng.randrange(start, len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


# -- OOXML with hostile XML --------------------------------------------------------------------------

XXE_DOCTYPE = '<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DOCTYPE = (
    '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)
RECURSIVE_DOCTYPE = '<!DOCTYPE w [<!ENTITY a "&b;"><!ENTITY b "&a;">]>'


def ooxml_with_doctype(data: bytes, part: str, doctype: str, entity: str) -> bytes:
    """The OOXML package `data` with `part` given a DOCTYPE and an entity reference in its text."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == part:
                text = body.decode("utf-8")
                declaration_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
                text = text[:declaration_end] + doctype + text[declaration_end:]
                # An entity reference where text goes: a run's <w:t> or a cell's inline string.
                marker = next(m for m in ("<w:t>", "<t>", "<text:p>", "<hp:t>") if m in text)
                text = text.replace(marker, marker + f"&{entity};", 1)
                body = text.encode("utf-8")
            target.writestr(info, body)
    return out.getvalue()


def ooxml_bomb(data: bytes, part: str, padding: int) -> bytes:
    """`part` padded with whitespace inside the root element: a valid document that inflates
    `padding` bytes from a few kilobytes (ratio far above any real document's)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == part:
                cut = body.rindex(b"</")
                body = body[:cut] + b" " * padding + body[cut:]
            target.writestr(info.filename, body, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


# -- archives ----------------------------------------------------------------------------------------


def zip_ratio_bomb(size: int) -> bytes:
    """One member of `size` zero bytes: a ratio of about 1000."""
    return _zip({"zeros.csv": b"\0" * size})


def zip_nested(depth: int) -> bytes:
    data = ROSTER.encode()
    name = "roster.csv"
    for level in range(depth):
        data = _zip({name: data})
        name = f"level{level}.zip"
    return data


def zip_many_members(count: int) -> bytes:
    return _zip({f"m/{i:05d}.txt": b"x" for i in range(count)}, zipfile.ZIP_STORED)


def zip_evil_names() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in ("../../escape.csv", "/etc/absolute.csv", "C:\\windows\\drive.csv", "a/../../b.csv", "ok.csv"):
            info = zipfile.ZipInfo("placeholder")
            info.filename = name  # ZipInfo() would normalise some of these
            archive.writestr(info, ROSTER.encode())
    return out.getvalue()


def zip_symlink_member() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo("passwd-link")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
        archive.writestr("ok.csv", ROSTER.encode())
    return out.getvalue()


def zip_encrypted_member() -> bytes:
    """A member with the "encrypted" flag set (traditional PKWARE encryption; we have no password)."""
    data = bytearray(_zip({"secret.csv": ROSTER.encode(), "open.txt": "공개".encode()}))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + flag_at] |= 0x01  # the first entry of each table is secret.csv
    return bytes(data)


def tar_evil() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name in ("../../escape.csv", "/etc/absolute.csv", "ok.csv"):
            info = tarfile.TarInfo(name)
            body = ROSTER.encode()
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
        for kind, target in ((tarfile.SYMTYPE, "/etc/passwd"), (tarfile.LNKTYPE, "../../etc/shadow")):
            info = tarfile.TarInfo(f"link-{kind.decode()}")
            info.type = kind
            info.linkname = target
            archive.addfile(info)
        dev = tarfile.TarInfo("dev-zero")
        dev.type = tarfile.CHRTYPE
        dev.devmajor, dev.devminor = 1, 5
        archive.addfile(dev)
        fifo = tarfile.TarInfo("fifo")
        fifo.type = tarfile.FIFOTYPE
        archive.addfile(fifo)
    return out.getvalue()


def gzip_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + compressor.flush()


def eml_nested(depth: int) -> bytes:
    """A mail whose MIME parts nest `depth` deep (message/rfc822 inside message/rfc822…)."""
    body = _eml()
    for _ in range(depth):
        body = b"From: a@example.org\nSubject: fwd\nMIME-Version: 1.0\nContent-Type: message/rfc822\n\n" + body
    return body


def encrypted_ooxml() -> bytes:
    """Just enough of an OLE2 compound file to name the `EncryptedPackage` stream."""
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(SAMPLES["pdf"]())))
    writer.encrypt(user_password="hunter2", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_page_loop() -> bytes:
    """A page tree whose /Kids contains itself."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# -- the corpus ------------------------------------------------------------------------------------


def _write(root: Path, rel: str, data: bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def build(root: Path, outside: Path, slow_chars: int = 300_000) -> list[Case]:
    """Write the corpus under `root`; `outside` is a directory next to it (links point there).

    `slow_chars` sizes the long Hangul run without spaces (slow where the tokenizer runs on it).
    The long line (20 MB) is meant to exceed a per-file timeout of a few seconds.
    """
    from pii_audit.extract import registry

    cases: list[Case] = []

    def add(rel: str, data: bytes, what: str, expect: frozenset[str] = ANY, reason: str | None = None) -> None:
        _write(root, rel, data)
        cases.append(Case(rel, what, expect, reason))

    formats = sorted({*registry.EXTRACTORS, *getattr(registry, "CONTAINERS", {})})
    for index, fmt in enumerate(formats):
        make = SAMPLES.get(fmt)
        if make is None:
            continue  # test_every_format_has_a_sample names it
        valid = make()
        suffix = SUFFIX.get(fmt, fmt)
        add(f"formats/{fmt}/valid.{suffix}", valid, f"a valid {fmt} file (baseline)", frozenset({SCANNED}))
        add(f"formats/{fmt}/truncated-half.{suffix}", truncated(valid, 0.5), f"{fmt} cut in half")
        add(f"formats/{fmt}/truncated-head.{suffix}", valid[:64], f"{fmt}: only the first 64 bytes")
        add(f"formats/{fmt}/bit-flipped.{suffix}", bit_flipped(valid, seed=index), f"{fmt} with 12 flipped bits")

    docx, xlsx = SAMPLES["docx"](), SAMPLES["xlsx"]()
    add("ooxml/xxe.docx", ooxml_with_doctype(docx, "word/document.xml", XXE_DOCTYPE, "xxe"),
        "docx whose body declares an external entity (file:///etc/passwd)")  # fmt: skip
    add("ooxml/xxe.xlsx", ooxml_with_doctype(xlsx, "xl/sharedStrings.xml", XXE_DOCTYPE, "xxe"),
        "xlsx whose shared strings declare an external entity")  # fmt: skip
    add("ooxml/laughs.docx", ooxml_with_doctype(docx, "word/document.xml", LAUGHS_DOCTYPE, "j"),
        "docx with a billion-laughs entity expansion")  # fmt: skip
    add("ooxml/laughs.xlsx", ooxml_with_doctype(xlsx, "xl/sharedStrings.xml", LAUGHS_DOCTYPE, "j"),
        "xlsx with a billion-laughs entity expansion")  # fmt: skip
    add("ooxml/recursive.docx", ooxml_with_doctype(docx, "word/document.xml", RECURSIVE_DOCTYPE, "a"),
        "docx with mutually recursive entities")  # fmt: skip
    add("ooxml/bomb.docx", ooxml_bomb(docx, "word/document.xml", 30 * 1024 * 1024),
        "docx whose body inflates 30 MB of padding (ratio > 1000)", NOT_SCANNED, "limit")  # fmt: skip
    add("ooxml/bomb.xlsx", ooxml_bomb(xlsx, "xl/worksheets/sheet1.xml", 30 * 1024 * 1024),
        "xlsx whose sheet inflates 30 MB of padding", NOT_SCANNED, "limit")  # fmt: skip
    add("ooxml/encrypted.xlsx", encrypted_ooxml(), "password-protected OOXML (OLE EncryptedPackage)",
        frozenset({SKIPPED}), "encrypted")  # fmt: skip
    add("xmldoc/laughs.odt", ooxml_with_doctype(SAMPLES["odt"](), "content.xml", LAUGHS_DOCTYPE, "j"),
        "ODT with a billion-laughs entity expansion")  # fmt: skip
    add("xmldoc/xxe.hwpx", ooxml_with_doctype(SAMPLES["hwpx"](), "Contents/section0.xml", XXE_DOCTYPE, "xxe"),
        "HWPX whose section declares an external entity")  # fmt: skip
    add("xmldoc/xxe.xml", ('<?xml version="1.0"?>' + XXE_DOCTYPE.replace("w [", "people [")
                           + "<people><p>&xxe;</p></people>").encode(), "XML with an external entity")  # fmt: skip
    add("xmldoc/laughs.xml", ('<?xml version="1.0"?>' + LAUGHS_DOCTYPE.replace("w [", "people [")
                              + "<people><p>&j;</p></people>").encode(), "XML with a billion laughs")  # fmt: skip
    add("pdf/encrypted.pdf", encrypted_pdf(), "PDF with a user password", frozenset({SKIPPED}), "encrypted")
    add("pdf/page-loop.pdf", pdf_page_loop(), "PDF whose page tree contains itself")

    add("archives/ratio-bomb.zip", zip_ratio_bomb(50 * 1024 * 1024), "zip member of 50 MB of zeros (ratio ~1000)")
    add("archives/nested-12.zip", zip_nested(12), "zip inside zip, 12 levels deep")
    add("archives/many-members.zip", zip_many_members(300), "zip with 300 members (over --max-members)")
    add("archives/42-style.zip", nested_bomb(fanout=8, depth=4),
        "42.zip-style nesting: 8 members a level, 4,680 in all (over --max-members across levels)",
        frozenset({FAILED}), "zip bomb: member limit across nesting")  # fmt: skip
    add("archives/overlapping.zip", overlapping_zip(500), "500 entries sharing one compressed stream",
        frozenset({FAILED}), "zip bomb: overlapping entries")  # fmt: skip
    add("archives/evil-names.zip", zip_evil_names(), "zip members named ../.., /abs, C:\\ and a/../../b")
    add("archives/symlink-member.zip", zip_symlink_member(), "zip member that is a symlink to /etc/passwd")
    add("archives/encrypted-member.zip", zip_encrypted_member(), "zip with an encrypted member")
    add("archives/evil.tar", tar_evil(), "tar with ../, absolute, symlink, hard link, device and FIFO members")
    add("archives/bomb.csv.gz", gzip_bomb(64 * 1024 * 1024), "gzip stream of 64 MB of zeros")
    add("archives/encrypted.7z", _7z({"roster.csv": ROSTER.encode()}, password="hunter2"),
        "7z with encrypted data and header")  # fmt: skip
    add("mail/nested-200.eml", eml_nested(200), "mail forwarded inside itself 200 times")
    add("mail/evil-attachment.eml", _eml(attachment_name="../../../etc/cron.d/x.csv"),
        "mail attachment named ../../../etc/cron.d/x.csv")  # fmt: skip

    add("text/empty.txt", b"", "a 0-byte file")
    add("text/long-line.txt", b"x" * (20 * 1024 * 1024), "a 20 MB line without a newline", SCANNED_OR_FAILED)
    add("text/some-nuls.txt", ("이름 홍길동\x00 주소 서울\n" * 200).encode(), "text with NUL bytes between words")
    add("text/many-nuls.txt", b"\0" * 4096 + "김영수".encode(), "mostly NUL bytes", NOT_SCANNED | {SCANNED})
    add("text/deep.json", b"[" * 100_000, "JSON nested 100,000 deep", SCANNED_OR_FAILED)
    add("text/one-dash.txt", b"1-" * 50_000, "'1-' x 50,000 (phone/ID regex backtracking)", SCANNED_OR_FAILED)
    add("text/at-sign.txt", b"a" * 100_000 + b"@", "'a' x 100,000 + '@' (email regex backtracking)",
        SCANNED_OR_FAILED)  # fmt: skip
    add("text/zeros.txt", b"0" * 1_000_000, "a million '0' (number regex backtracking)", SCANNED_OR_FAILED)
    add("text/hangul-run.txt", ("가나다라마바사아자차" * (slow_chars // 10)).encode(),
        "a long Hangul run without spaces (slow tokenizer path)", SCANNED_OR_FAILED)  # fmt: skip
    add("text/bidi.txt", "성명: \u202e수영김\u202c 주소: 서울\n".encode() * 50, "right-to-left override characters")
    add("text/utf16-odd.txt", b"\xff\xfe" + "홍길동".encode("utf-16-le") + b"\x00", "UTF-16 with an odd byte count")
    stray = f"메모\n연락처 {PEOPLE[0][3]}\n".encode()
    add("text/stray-bytes.txt", stray[:4] + b"\xff\x80" + stray[4:], "UTF-8 text with two invalid bytes",
        frozenset({SCANNED}))  # fmt: skip
    add("names/people.csv", ROSTER.encode(), "a CSV roster", frozenset({SCANNED}))
    add("names/people.xlsx", ROSTER.encode(), "a CSV roster named .xlsx (read by content)", frozenset({SCANNED}))
    add("names/...", ROSTER.encode(), "a CSV roster named '...'", frozenset({SCANNED}))
    add("text/invalid-utf8.csv", b"\xc3\x28,\xa0\xa1,\xf0\x28\x8c\xbc\n" * 100, "invalid UTF-8 sequences")

    cases.extend(_special_files(root, outside))
    return cases


def _special_files(root: Path, outside: Path) -> list[Case]:
    cases: list[Case] = []
    special = root / "special"
    special.mkdir()

    os.mkfifo(special / "fifo")
    cases.append(Case("special/fifo", "a named pipe (opening it would block)", frozenset({SKIPPED}), "pipe"))
    try:
        os.mknod(special / "zero-device", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # what /dev/zero is
        cases.append(Case("special/zero-device", "a character device (endless zeros)", frozenset({SKIPPED}), "device"))
    except (PermissionError, OSError):
        pass  # not root, or no CAP_MKNOD in this container: nothing to test

    (outside / "outside-target.csv").write_text(ROSTER, encoding="utf-8")
    os.symlink(outside / "outside-target.csv", special / "link-out-file")
    cases.append(Case("special/link-out-file", "symlink to a file outside the root", frozenset({SKIPPED}), "out of"))
    os.symlink(outside, special / "link-out-dir")
    cases.append(
        Case("special/link-out-dir", "symlink to a directory outside the root", frozenset({SKIPPED}), "out of")
    )
    os.symlink("/etc/passwd", special / "link-passwd")
    cases.append(Case("special/link-passwd", "symlink to /etc/passwd", frozenset({SKIPPED}), "out of"))
    os.symlink("../" * 30 + "etc/passwd", special / "link-dotdot")
    cases.append(Case("special/link-dotdot", "relative symlink climbing out", frozenset({SKIPPED}), "out of"))
    os.symlink("self-loop", special / "self-loop")
    cases.append(Case("special/self-loop", "symlink to itself (ELOOP)", frozenset({SKIPPED})))
    os.symlink("nowhere", special / "dangling")
    cases.append(Case("special/dangling", "symlink to nothing", frozenset({SKIPPED})))
    (special / "loopdir").mkdir()
    os.symlink("..", special / "loopdir" / "up")
    cases.append(
        Case("special/loopdir/up", "symlink to an ancestor directory (walk loop)", frozenset({SKIPPED}), "loop")
    )

    locked = _write(root, "perm/unreadable.csv", ROSTER.encode())
    locked.chmod(0)
    # Root reads anyway; anyone else gets "cannot read".
    cases.append(Case("perm/unreadable.csv", "a file with mode 000", frozenset({SCANNED, FAILED})))
    locked_dir = root / "perm" / "locked"
    locked_dir.mkdir()
    _write(root, "perm/locked/inside.csv", ROSTER.encode())
    locked_dir.chmod(0)
    expect = frozenset({SCANNED}) if os.geteuid() == 0 else frozenset({SKIPPED})
    path = "perm/locked/inside.csv" if os.geteuid() == 0 else "perm/locked"
    cases.append(Case(path, "a directory with mode 000", expect))

    bad = os.fsencode(root) + b"/names/\xff\xfe-not-utf8.csv"
    os.makedirs(os.path.dirname(bad), exist_ok=True)
    fd = os.open(bad, os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, ROSTER.encode())
    os.close(fd)
    cases.append(Case("names/\\xff\\xfe-not-utf8.csv", "a file name that is not valid UTF-8", frozenset({SCANNED})))
    _write(root, "names/line\nbreak.csv", ROSTER.encode())
    cases.append(Case("names/line\nbreak.csv", "a file name with a newline (real in JSON)", frozenset({SCANNED})))
    return cases


def restore_permissions(root: Path) -> None:
    """Make the corpus deletable again (mode 000 directories block rmtree for non-root)."""
    for path in (root / "perm" / "locked", root / "perm" / "unreadable.csv"):
        if path.exists():
            path.chmod(0o700)
