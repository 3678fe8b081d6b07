"""Outlook messages (.msg): an OLE compound file of MAPI properties ([MS-OXMSG]), read with olefile.

(extract-msg reads these too, but it is GPL-3.0 and heavy: this reader takes only what the audit needs.)

A property of variable length is a stream `__substg1.0_TTTTYYYY` (tag TTTT, type YYYY): `001F` is
UTF-16LE text, `001E` 8-bit text in the message's code page (PR_MESSAGE_CODEPAGE / PR_INTERNET_CPID,
else detected with `decode_text`), `0102` binary. Fixed-size ones (code page, recipient type, attach
method) are 16-byte entries of the `__properties_version1.0` stream, after a header of 32 bytes
(the message), 24 (an embedded message) or 8 (a recipient, an attachment).

What the message gives, like an e-mail (mail.py): one ROW segment of From / To / Cc / Bcc / Subject
(recipients from `__recip_version1.0_#…` storages, else the display lists), PROSE segments of the
body (plain text; else the HTML body reduced to text; else the compressed RTF body), and its
attachments (`__attach_version1.0_#…`: long or short file name, data in `37010102`) as members. An
attached message (a `3701000D` storage) becomes a member `NAME.eml`: it is rewritten as RFC 822 with
its headers, body and attachments, so mail.py reads it and its attachments are members in turn
(`mail.msg!fwd.eml!명단.csv`). Attachments by reference and OLE objects are listed as skipped members.
"""

from __future__ import annotations

import codecs
import io
import struct
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import olefile
from striprtf.striprtf import rtf_to_text

from pii_audit.errors import CorruptFile
from pii_audit.extract.base import prose_segments, row_segment
from pii_audit.extract.container import Budget, Members
from pii_audit.extract.encoding import decode_text
from pii_audit.extract.mail import html_text
from pii_audit.model import Extraction, Limits, Location, Segment

HEADERS = ("From", "To", "Cc", "Bcc", "Subject")
_SUBJECT, _BODY, _HTML, _RTF = 0x0037, 0x1000, 0x1013, 0x1009
_SENDER_NAME, _SENDER_EMAIL, _SENDER_SMTP = 0x0C1A, 0x0C1F, 0x5D01
_REPRESENTING_NAME, _REPRESENTING_EMAIL = 0x0042, 0x0065
_DISPLAY = {"To": 0x0E04, "Cc": 0x0E03, "Bcc": 0x0E02}
_DISPLAY_NAME, _EMAIL_ADDRESS, _SMTP_ADDRESS, _RECIPIENT_TYPE = 0x3001, 0x3003, 0x39FE, 0x0C15
_LONG_NAME, _SHORT_NAME, _ATTACH_DATA, _ATTACH_METHOD = 0x3707, 0x3704, 0x3701, 0x3705
_CODEPAGE, _INTERNET_CPID = 0x3FFD, 0x3FDE
_BY_VALUE, _EMBEDDED, _OLE = 1, 5, 6
_RECIPIENT_KIND = {1: "To", 2: "Cc", 3: "Bcc"}
_HEADER_TOP, _HEADER_EMBEDDED, _HEADER_CHILD = 32, 24, 8
_CODEPAGES = {949: "cp949", 51949: "cp949", 20949: "cp949", 65001: "utf-8", 20127: "ascii", 28591: "latin-1",
              50225: "iso2022_kr", 1200: "utf-16-le"}  # fmt: skip
_MAX_RTF = 64 * 1024 * 1024  # inflated bytes of a compressed RTF body


class MsgExtractor:
    format = "msg"

    def extract(self, data: bytes, name: str, limits: Limits, budget: Budget) -> Extraction:
        try:
            ole = olefile.OleFileIO(io.BytesIO(data))
        except Exception as exc:  # olefile raises many kinds of errors on damaged files
            raise CorruptFile(f"msg: {type(exc).__name__}") from None
        with ole:
            paths = ole.listdir(streams=True, storages=True)
            message = _Node(ole, paths, [], _HEADER_TOP, None)
            sink = Members(limits, budget)
            notes: list[str] = []
            segments: list[Segment] = []
            header = row_segment(HEADERS, [_headers(message).get(h) for h in HEADERS], Location(), cells=HEADERS)
            if header is not None:
                segments.append(header)
            segments.extend(prose_segments(_body(message, notes)))
            for index, attachment in enumerate(message.children("__attach_version1.0_#"), start=1):
                if sink.admit():
                    _attach(attachment, index, sink, limits.max_depth)
        return sink.extraction(self.format, segments, notes)


@dataclass
class _Node:
    """A message, recipient or attachment storage: its property streams and fixed properties."""

    ole: olefile.OleFileIO
    paths: list[list[str]]
    prefix: list[str]
    header: int
    codec: str | None  # of 8-bit strings: the message's, inherited by its recipients and attachments

    def __post_init__(self) -> None:
        depth = len(self.prefix)
        self.entries = {p[depth].upper(): p for p in self.paths if len(p) == depth + 1 and p[:depth] == self.prefix}
        self.fixed = self._fixed()
        if self.header != _HEADER_CHILD:  # a message names its own code page
            page = self.fixed.get(_CODEPAGE) or self.fixed.get(_INTERNET_CPID)
            self.codec = _codec(page) or self.codec

    def _fixed(self) -> dict[int, int]:
        raw = self.stream("__properties_version1.0") or b""
        out: dict[int, int] = {}
        for pos in range(self.header, len(raw) - 15, 16):
            tag, _flags, value = struct.unpack_from("<IIi", raw, pos)
            if tag & 0xFFFF == 0x0003:  # PT_LONG
                out[tag >> 16] = value
        return out

    def stream(self, name: str) -> bytes | None:
        path = self.entries.get(name.upper())
        if path is None or self.ole.get_type(path) != olefile.STGTY_STREAM:
            return None
        with self.ole.openstream(path) as fh:
            return bytes(fh.read())

    def has_storage(self, name: str) -> bool:
        path = self.entries.get(name.upper())
        return path is not None and self.ole.get_type(path) == olefile.STGTY_STORAGE

    def text(self, tag: int) -> str | None:
        wide = self.stream(f"__substg1.0_{tag:04X}001F")
        if wide is not None:
            return wide.decode("utf-16-le", "replace").split("\x00", 1)[0]
        narrow = self.stream(f"__substg1.0_{tag:04X}001E")
        if narrow is None:
            return None
        return _decode(narrow.split(b"\x00", 1)[0], self.codec)

    def binary(self, tag: int) -> bytes | None:
        return self.stream(f"__substg1.0_{tag:04X}0102")

    def child(self, name: str, header: int) -> _Node:
        return _Node(self.ole, self.paths, [*self.prefix, self.entries[name.upper()][-1]], header, self.codec)

    def children(self, kind: str) -> list[_Node]:
        names = sorted(name for name, path in self.entries.items() if name.startswith(kind.upper()))
        return [self.child(name, _HEADER_CHILD) for name in names if self.has_storage(name)]


def _codec(page: int | None) -> str | None:
    if not page:
        return None
    name = _CODEPAGES.get(page, f"cp{page}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(raw: bytes, codec: str | None) -> str:
    if codec is not None:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass  # mislabelled: detect
    return decode_text(raw)[0]


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _address(name: str | None, email: str | None) -> str | None:
    name, email = _clean(name), _clean(email)
    if email and not email.startswith("/"):  # "/O=EXCHANGE…": an Exchange DN, not an address
        return f"{name} <{email}>" if name and name != email else email
    return name


def _headers(message: _Node) -> dict[str, str | None]:
    sender_email = message.text(_SENDER_SMTP) or message.text(_SENDER_EMAIL) or message.text(_REPRESENTING_EMAIL)
    sender = _address(message.text(_SENDER_NAME) or message.text(_REPRESENTING_NAME), sender_email)
    lists: dict[str, list[str]] = {"To": [], "Cc": [], "Bcc": []}
    for recipient in message.children("__recip_version1.0_#"):
        email = recipient.text(_SMTP_ADDRESS) or recipient.text(_EMAIL_ADDRESS)
        address = _address(recipient.text(_DISPLAY_NAME), email)
        if address:
            lists[_RECIPIENT_KIND.get(recipient.fixed.get(_RECIPIENT_TYPE, 1), "To")].append(address)
    out: dict[str, str | None] = {"From": sender, "Subject": _clean(message.text(_SUBJECT))}
    for kind, tag in _DISPLAY.items():
        out[kind] = "; ".join(lists[kind]) or _clean(message.text(tag))
    return out


def _body(message: _Node, notes: list[str]) -> str:
    """The plain-text body; else the HTML body as text; else the compressed RTF body as text."""
    text = message.text(_BODY)
    if text and text.strip():
        return text
    html = message.binary(_HTML)
    if html is not None:
        return html_text(_decode(html, message.codec))
    html_string = message.text(_HTML)
    if html_string:
        return html_text(html_string)
    rtf = message.binary(_RTF)
    if rtf:
        try:
            return str(rtf_to_text(decompress_rtf(rtf).decode("cp1252", "replace"), errors="ignore"))
        except (ValueError, IndexError, struct.error) as exc:
            notes.append(f"RTF body not readable ({type(exc).__name__})")
    return ""


def _attach(attachment: _Node, index: int, sink: Members, depth: int) -> None:
    method = attachment.fixed.get(_ATTACH_METHOD, _BY_VALUE)
    filename = attachment.text(_LONG_NAME) or attachment.text(_SHORT_NAME) or attachment.text(_DISPLAY_NAME) or ""
    filename = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()  # a file name, not a path
    data = attachment.binary(_ATTACH_DATA)
    if data is not None:
        sink.add(sink.name(filename, f"attachment-{index}"), data)
        return
    storage = f"__substg1.0_{_ATTACH_DATA:04X}000D"
    if attachment.has_storage(storage) and method != _OLE:
        inner = attachment.child(storage, _HEADER_EMBEDDED)
        if any(name.startswith("__SUBSTG1.0_") for name in inner.entries):
            name = _clean(attachment.text(_DISPLAY_NAME)) or _clean(inner.text(_SUBJECT)) or f"message-{index}"
            name = name if name.lower().endswith(".eml") else f"{name}.eml"
            sink.add(sink.name(name, f"message-{index}.eml"), as_eml(inner, depth))
            return
    fallback = filename or f"attachment-{index}"
    if method == _OLE or attachment.has_storage(storage):
        sink.skip(sink.name(fallback, f"attachment-{index}"), "OLE object attachment: not read")
    elif method in (2, 3, 4, 7):
        sink.skip(sink.name(fallback, f"attachment-{index}"), "attachment by reference: not in the message")
    else:
        sink.skip(sink.name(fallback, f"attachment-{index}"), "attachment without data")


def as_eml(message: _Node, depth: int) -> bytes:
    """An embedded message as RFC 822 (headers, body, attachments), for mail.py to read as a member.
    Messages nested deeper than `depth` keep their headers and body but lose their attachments."""
    mail = EmailMessage(policy=policy.default)
    for field, value in _headers(message).items():
        if value:
            try:
                mail[field] = value
            except (ValueError, TypeError, IndexError):  # an address the header parser rejects
                mail[f"X-Msg-{field}"] = value.encode("ascii", "backslashreplace").decode("ascii")
    mail.set_content(_body(message, []) or "\n")
    if depth <= 0:
        return bytes(mail)
    for index, attachment in enumerate(message.children("__attach_version1.0_#"), start=1):
        _attach_eml(mail, attachment, index, depth)
    return bytes(mail)


def _attach_eml(mail: EmailMessage, attachment: _Node, index: int, depth: int) -> None:
    filename = attachment.text(_LONG_NAME) or attachment.text(_SHORT_NAME) or attachment.text(_DISPLAY_NAME)
    filename = (filename or f"attachment-{index}").replace("\\", "/").rsplit("/", 1)[-1]
    data = attachment.binary(_ATTACH_DATA)
    if data is not None:
        mail.add_attachment(data, maintype="application", subtype="octet-stream", filename=filename)
        return
    storage = f"__substg1.0_{_ATTACH_DATA:04X}000D"
    if attachment.has_storage(storage):
        inner = attachment.child(storage, _HEADER_EMBEDDED)
        if any(name.startswith("__SUBSTG1.0_") for name in inner.entries):
            name = filename if filename.lower().endswith(".eml") else f"{filename}.eml"
            nested = as_eml(inner, depth - 1)
            mail.add_attachment(nested, maintype="application", subtype="octet-stream", filename=name)


# Compressed RTF ([MS-OXRTFCP]): LZ77 over a 4096-byte ring dictionary primed with this text.
_RTF_PREBUF = (
    b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript "
    b"\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
    b"\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"
)
_LZFU, _MELA = 0x75465A4C, 0x414C454D


def decompress_rtf(data: bytes, limit: int = _MAX_RTF) -> bytes:
    """The RTF of a PR_RTF_COMPRESSED value. Raises ValueError on a bad header."""
    if len(data) < 16:
        raise ValueError("short header")
    comp_size, raw_size, kind, _crc = struct.unpack_from("<IIII", data, 0)
    if kind == _MELA:
        return data[16 : 16 + raw_size]
    if kind != _LZFU:
        raise ValueError("unknown compression")
    ring = bytearray(4096)
    ring[: len(_RTF_PREBUF)] = _RTF_PREBUF
    write = len(_RTF_PREBUF)
    out = bytearray()
    pos, end = 16, min(len(data), comp_size + 4)
    while pos < end and len(out) < limit:
        control = data[pos]
        pos += 1
        for bit in range(8):
            if pos >= end:
                break
            if not control & (1 << bit):
                byte = data[pos]
                pos += 1
                out.append(byte)
                ring[write] = byte
                write = (write + 1) % 4096
                continue
            if pos + 1 >= end:
                return bytes(out)
            (reference,) = struct.unpack_from(">H", data, pos)
            pos += 2
            offset, length = reference >> 4, (reference & 0xF) + 2
            if offset == write:
                return bytes(out)
            for i in range(length):
                byte = ring[(offset + i) % 4096]
                out.append(byte)
                ring[write] = byte
                write = (write + 1) % 4096
    return bytes(out[:limit])
