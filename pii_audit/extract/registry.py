"""Format by content, never by name, and dispatch to the format's extractor.

The file name is only a tie-breaker between `csv`/`tsv` and `text` for text that could be
either; it never overrides magic bytes or zip members.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator

from pii_audit.errors import CorruptFile, EncryptedFile, ExtractError, UnsupportedFormat
from pii_audit.extract.base import Extractor
from pii_audit.extract.delimited import DelimitedExtractor, detect_delimiter
from pii_audit.extract.docx import DocxExtractor
from pii_audit.extract.encoding import decode_text
from pii_audit.extract.pdf import PdfExtractor
from pii_audit.extract.text import TextExtractor
from pii_audit.extract.xlsx import XlsxExtractor
from pii_audit.model import Extraction, Limits

EXTRACTORS: dict[str, Extractor] = {
    "text": TextExtractor(),
    "csv": DelimitedExtractor("csv"),
    "tsv": DelimitedExtractor("tsv"),
    "xlsx": XlsxExtractor(),
    "docx": DocxExtractor(),
    "pdf": PdfExtractor(),
}

ENCRYPTED_OOXML = "ooxml-encrypted"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\x7fELF", "elf executable"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
)
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
# OLE2 stream names are stored in UTF-16LE in the directory sectors.
_OLE_STREAMS: tuple[tuple[str, str], ...] = (
    ("EncryptedPackage", ENCRYPTED_OOXML),  # with EncryptionInfo: a password-protected xlsx/docx/pptx
    ("HwpSummaryInformation", "hwp"),
    ("WordDocument", "doc"),
    ("Workbook", "xls"),
    ("PowerPoint Document", "ppt"),
)
_HEAD = 65536


def sniff(data: bytes, name: str) -> str:
    """The format of `data` by content: a key of EXTRACTORS, or a name for what we cannot read."""
    # A PDF header may follow some junk; readers accept it within the first KiB.
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_OLE):
        return _sniff_ole(data)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"MZ") and b"\x00" in data[:64]:  # "MZ" alone could begin a text file
        return "windows executable"
    return _sniff_text(data, name)


def extract(data: bytes, name: str, limits: Limits | None = None) -> Extraction:
    """Sniff and extract. Raises only ExtractError subclasses: a library failure on a bad file
    becomes CorruptFile naming the format and exception type, never its message (it may quote
    file content)."""
    kind = sniff(data, name)
    if kind == ENCRYPTED_OOXML:
        raise EncryptedFile()
    extractor = EXTRACTORS.get(kind)
    if extractor is None:
        raise UnsupportedFormat(f"unsupported format: {kind}")
    try:
        return extractor.extract(data)
    except ExtractError:
        raise
    except Exception as exc:
        raise CorruptFile(f"{kind}: {type(exc).__name__}") from None


def _sniff_ole(data: bytes) -> str:
    for stream, kind in _OLE_STREAMS:
        if stream.encode("utf-16-le") in data:
            return kind
    return "ole"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as stream:
                    mimetype = stream.read(100)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return _sniff_damaged_zip(data)
    if "[Content_Types].xml" in names:
        for member, kind in (("xl/workbook.xml", "xlsx"), ("word/document.xml", "docx")):
            if member in names:
                return kind
        for member, kind in (("xl/workbook.bin", "xlsb"), ("ppt/presentation.xml", "pptx")):
            if member in names:
                return kind
    if mimetype.startswith(b"application/hwp+zip"):
        return "hwpx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument."):
        return "odf"
    return "zip"


def _sniff_damaged_zip(data: bytes) -> str:
    """A truncated or damaged zip: the local headers still name the members, and a damaged
    xlsx/docx should fail as corrupt rather than be skipped as an unknown zip."""
    names = list(_local_member_names(data))
    # Writers differ in member order (openpyxl puts [Content_Types].xml last): any OOXML part will do.
    if any(n == "[Content_Types].xml" or n.startswith(("docProps/", "_rels/")) for n in names):
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
    return "zip"


def _local_member_names(data: bytes) -> Iterator[str]:
    """Member names from the local file headers (signature, 26 bytes, name and extra lengths)."""
    for match in re.finditer(rb"PK\x03\x04", data):
        at = match.start()
        header = data[at + 26 : at + 30]
        if len(header) < 4:
            return
        size = int.from_bytes(header[:2], "little")
        yield data[at + 30 : at + 30 + size].decode("cp437", errors="replace")


def _sniff_text(data: bytes, name: str) -> str:
    if not data:
        return "text"
    head = data[:_HEAD]
    partial = len(data) > len(head)
    text, encoding = decode_text(head, partial=partial)
    if not encoding.startswith(("utf-16", "utf-32")) and head.count(0) > len(head) * 0.01:
        return "binary"  # NULs that are not UTF-16 padding
    if not _mostly_printable(text):
        return "binary"
    if text.lstrip()[:1] in ("{", "[", "<"):
        return "text"  # JSON, XML, HTML: their commas are syntax, not columns
    if partial:  # the last line may be cut; do not let it break the column count
        text = text[: text.rfind("\n") + 1] or text
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    hint = {"csv": "csv", "tsv": "tsv", "tab": "tsv"}.get(suffix)
    delimiter = detect_delimiter(text, hint=hint)
    if delimiter is None:
        return "text"
    return "tsv" if delimiter == "\t" else "csv"


def _mostly_printable(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return True
    bad = sum(1 for ch in sample if ch == "\ufffd" or _is_control(ch))
    return bad <= len(sample) * 0.05


def _is_control(ch: str) -> bool:
    """Control, private-use, unassigned or surrogate: what decoded binary is made of."""
    return ch not in "\t\n\r\f\x1b" and unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs")
