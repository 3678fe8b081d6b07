"""Format by content, never by name, and dispatch to the format's extractor.

The file name is only a tie-breaker between `csv`/`tsv` and `text` for text that could be
either; it never overrides magic bytes or zip members.
"""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from typing import Protocol

import olefile

from pii_audit.errors import CorruptFile, EncryptedFile, ExtractError, UnsupportedFormat
from pii_audit.extract.archive import TarExtractor, ZipExtractor
from pii_audit.extract.base import Extractor
from pii_audit.extract.compressed import CompressedExtractor
from pii_audit.extract.container import Budget, ContainerExtractor
from pii_audit.extract.delimited import DelimitedExtractor, detect_delimiter
from pii_audit.extract.docx import DocxExtractor
from pii_audit.extract.encoding import decode_text
from pii_audit.extract.html import HtmlExtractor
from pii_audit.extract.hwp import HwpExtractor, is_hwp
from pii_audit.extract.hwp3 import Hwp3Extractor
from pii_audit.extract.hwpx import HwpxExtractor
from pii_audit.extract.image import IMAGE_FORMATS, ImageExtractor
from pii_audit.extract.json_ import JsonExtractor
from pii_audit.extract.mail import EmlExtractor, MboxExtractor, looks_like_eml, looks_like_mbox
from pii_audit.extract.msg import MsgExtractor
from pii_audit.extract.odf import OdfExtractor
from pii_audit.extract.pdf import PdfExtractor
from pii_audit.extract.pptx import PptxExtractor
from pii_audit.extract.rtf import RtfExtractor
from pii_audit.extract.sevenzip import SevenZipExtractor
from pii_audit.extract.sqlite import SqliteExtractor
from pii_audit.extract.text import TextExtractor
from pii_audit.extract.xls import XlsExtractor
from pii_audit.extract.xlsx import XlsxExtractor
from pii_audit.extract.xml_ import XmlExtractor
from pii_audit.model import Extraction, Limits, Segment

EXTRACTORS: dict[str, Extractor] = {
    "text": TextExtractor(),
    "csv": DelimitedExtractor("csv"),
    "tsv": DelimitedExtractor("tsv"),
    "xlsx": XlsxExtractor(),
    "docx": DocxExtractor(),
    "pdf": PdfExtractor(),
    "sqlite": SqliteExtractor(),
    "hwp": HwpExtractor(),
    "hwpx": HwpxExtractor(),
    "hwp3": Hwp3Extractor(),
    "xls": XlsExtractor(),
    "pptx": PptxExtractor(),
    "odt": OdfExtractor("odt"),
    "ods": OdfExtractor("ods"),
    "odp": OdfExtractor("odp"),
    "odf": OdfExtractor("odf"),
    "rtf": RtfExtractor(),
    "html": HtmlExtractor(),
    "json": JsonExtractor(),
    "xml": XmlExtractor(),
}
# Formats whose extraction yields members (scanned by scan.py as `outer!member`).
CONTAINERS: dict[str, ContainerExtractor] = {
    "zip": ZipExtractor(),
    "tar": TarExtractor(),
    "gzip": CompressedExtractor("gzip"),
    "bzip2": CompressedExtractor("bzip2"),
    "xz": CompressedExtractor("xz"),
    "7z": SevenZipExtractor(),
    "eml": EmlExtractor(),
    "mbox": MboxExtractor(),
    "msg": MsgExtractor(),
}


class OcrCapable(Protocol):
    """A format that may need OCR (scans): told whether the run allows it (`--ocr`)."""

    format: str

    def extract(self, data: bytes, *, ocr: bool = False) -> Extraction: ...


# Formats read differently with OCR on: images (only by OCR) and PDF (image-only pages).
OCR_CAPABLE: dict[str, OcrCapable] = {
    "pdf": PdfExtractor(),
    **{kind: ImageExtractor(kind) for kind in IMAGE_FORMATS},
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
    (b"\xfd7zXZ\x00", "xz"),
    (b"SQLite format 3\x00", "sqlite"),
    (b"HWP Document File V3.00", "hwp3"),  # 한글 97 and earlier: one binary stream, not a compound file
)
# bzip2: "BZh", a block size digit, then a block (pi) or end-of-stream (sqrt pi) magic.
_BZIP2 = re.compile(rb"BZh[1-9](?:\x31\x41\x59\x26\x53\x59|\x17\x72\x45\x38\x50\x90)")
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
# OLE2 stream names are stored in UTF-16LE in the directory sectors.
_OLE_STREAMS: tuple[tuple[str, str], ...] = (
    ("EncryptedPackage", ENCRYPTED_OOXML),  # with EncryptionInfo: a password-protected xlsx/docx/pptx
    ("HwpSummaryInformation", "hwp"),
    ("WordDocument", "doc"),
    ("Workbook", "xls"),
    ("PowerPoint Document", "ppt"),
    ("__substg1.0_", "msg"),  # Outlook message properties
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
    if _BZIP2.match(data):
        return "bzip2"
    if data[257:262] == b"ustar":
        return "tar"
    if looks_like_mbox(data):
        return "mbox"
    if looks_like_eml(data):
        return "eml"
    return _sniff_text(data)


def extract(
    data: bytes,
    name: str,
    limits: Limits | None = None,
    budget: Budget | None = None,
    *,
    ocr: bool = False,
    stream: bool = False,
) -> Extraction:
    """Sniff and extract. Raises only ExtractError subclasses: a library failure on a bad file
    becomes CorruptFile naming the format and exception type, never its message (it may quote
    file content). `budget` is the inflated-bytes budget of the top-level file this one is in
    (a fresh one when not given). `ocr`: images and image-only PDF pages are OCR'd (`--ocr`).
    `stream`: formats that can (xlsx, csv, tsv, text) return their segments as an iterator that
    reads as it goes; consuming it raises ExtractError the same way."""
    kind = sniff(data, name)
    if kind == ENCRYPTED_OOXML:
        raise EncryptedFile()
    container = CONTAINERS.get(kind)
    extractor = EXTRACTORS.get(kind)
    ocr_capable = OCR_CAPABLE.get(kind)
    if container is None and extractor is None and ocr_capable is None:
        raise UnsupportedFormat(f"unsupported format: {kind}")
    try:
        if container is not None:
            limits = limits or Limits()
            return container.extract(data, name, limits, budget or Budget(limits.max_inflated_bytes))
        if ocr_capable is not None:
            return ocr_capable.extract(data, ocr=ocr)
        assert extractor is not None
        streaming = getattr(extractor, "stream", None) if stream else None
        if streaming is None:
            return extractor.extract(data)
        streamed: Extraction = streaming(data)
        return dataclasses.replace(streamed, segments=guarded(kind, streamed.segments))
    except ExtractError:
        raise
    except Exception as exc:
        raise CorruptFile(f"{kind}: {type(exc).__name__}") from None


def guarded(kind: str, segments: Iterable[Segment]) -> Iterator[Segment]:
    """Segments read lazily, with a library failure turned into CorruptFile as `extract` does."""
    try:
        yield from segments
    except ExtractError:
        raise
    except Exception as exc:
        raise CorruptFile(f"{kind}: {type(exc).__name__}") from None


def _sniff_ole(data: bytes) -> str:
    by_directory = _sniff_ole_directory(data)
    if by_directory is not None:
        return by_directory
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
    # RuntimeError: an encrypted `mimetype` member; zlib.error: a damaged one.
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error):
        return _sniff_damaged_zip(data)
    if "[Content_Types].xml" in names:
        for member, kind in (("xl/workbook.xml", "xlsx"), ("word/document.xml", "docx")):
            if member in names:
                return kind
        for member, kind in (("xl/workbook.bin", "xlsb"), ("ppt/presentation.xml", "pptx")):
            if member in names:
                return kind
    if mimetype.startswith(b"application/hwp+zip") or _hwpx_members(names):
        return "hwpx"
    if mimetype.startswith(_ODF_MIMETYPE):
        return _odf_kind(mimetype)
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
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
    if _hwpx_members(set(names)) or data[38:57] == b"application/hwp+zip":
        return "hwpx"
    if data[30:38] == b"mimetype" and data[38:].startswith(_ODF_MIMETYPE):  # stored first, uncompressed
        return _odf_kind(data[38:138])
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


def _sniff_text(data: bytes) -> str:
    if not data:
        return "text"
    head = data[:_HEAD]
    partial = len(data) > len(head)
    text, encoding = decode_text(head, partial=partial)
    if not encoding.startswith(("utf-16", "utf-32")) and head.count(0) > len(head) * 0.01:
        return "binary"  # NULs that are not UTF-16 padding
    if not _mostly_printable(text):
        return "binary"
    markup = _sniff_markup(text)
    if markup is not None:
        return markup  # RTF, JSON, XML, HTML: their commas are syntax, not columns
    if partial:  # the last line may be cut; do not let it break the column count
        text = text[: text.rfind("\n") + 1] or text
    delimiter = detect_delimiter(text)  # by content alone: a CSV named .xlsx (or `...`) is still a CSV
    if delimiter is None:
        return "text"
    return "tsv" if delimiter == "\t" else "csv"


def _mostly_printable(text: str) -> bool:
    """Binary decodes to control characters (random bytes: one in eight is below 0x20). Bytes that
    are merely not valid in the encoding (a few stray bytes in UTF-8 text) are replaced, and a
    text with some of those is still text."""
    sample = text[:8192]
    if not sample:
        return True
    controls = sum(1 for ch in sample if _is_control(ch))
    replaced = sample.count("\ufffd")
    return controls <= len(sample) * 0.05 and replaced <= len(sample) * 0.3


def _is_control(ch: str) -> bool:
    """Control, private-use, unassigned or surrogate: what decoded binary is made of."""
    return ch not in "\t\n\r\f\x1b" and unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs")


_ODF_MIMETYPE = b"application/vnd.oasis.opendocument."
_ODF_KINDS = {b"text": "odt", b"text-template": "odt", b"spreadsheet": "ods", b"spreadsheet-template": "ods",
              b"presentation": "odp", b"presentation-template": "odp"}  # fmt: skip
_OLE_TOP_STREAMS = {"EncryptedPackage": ENCRYPTED_OOXML, "WordDocument": "doc", "Workbook": "xls", "Book": "xls",
                    "PowerPoint Document": "ppt"}  # fmt: skip
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|div|table|p|span|h[1-6]|ul|ol|form|br)\b")
_XML_START = re.compile(r"<(?:\?xml|!--|!doctype|[^\W\d][\w.:-]*[\s/>])", re.IGNORECASE)  # Hangul names too
_JSON_START = re.compile(r'(?:\{\s*(?:"|\}|$)|\[\s*(?:[-\d"{\[\]]|true|false|null|$))')


def _sniff_ole_directory(data: bytes) -> str | None:
    """The kind of a compound file that parses, by its directory: HWP by its FileHeader signature,
    Office by top-level stream names. None when it does not parse (then names are scanned for)."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if is_hwp(ole):
                return "hwp"
            names = {path[0] for path in ole.listdir(streams=True, storages=True)}
    except Exception:  # olefile raises many kinds of errors on damaged files
        return None
    for stream, kind in _OLE_TOP_STREAMS.items():
        if stream in names:
            return kind
    if any(n.lower().startswith("__substg1.0_") for n in names):
        return "msg"  # Outlook message properties at the top level
    return None


def _hwpx_members(names: set[str]) -> bool:
    names = {n.replace("\\", "/") for n in names}  # some writers use Windows separators
    sections = any(n.startswith("Contents/section") for n in names)
    return sections and ("Contents/content.hpf" in names or "Contents/header.xml" in names)


def _odf_kind(mimetype: bytes) -> str:
    sub = mimetype[len(_ODF_MIMETYPE) :].split(b"\n")[0].strip()
    return _ODF_KINDS.get(sub, "odf")


def _sniff_markup(text: str) -> str | None:
    """RTF, HTML, XML and JSON by how they start (after a BOM and whitespace); None for other text."""
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("{\\rtf"):
        return "rtf"
    if start[:1] in ("{", "["):
        return "json" if _JSON_START.match(start) else "text"
    if start[:1] == "<":
        if _HTML_START.match(start.lower()) or "<html" in start[:1024].lower():
            return "html"
        return "xml" if _XML_START.match(start) else "text"
    return None
