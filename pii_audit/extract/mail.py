"""E-mail: single messages (RFC 822 / .eml) and mbox mail stores.

A message gives one ROW segment of its address and subject headers (each header a cell named
after it, e.g. `From`), PROSE segments of its text bodies, and its attachments as members named
by their file names (RFC 2231 and encoded-word names decoded; `attachment-N` when unnamed). An
attached message (message/rfc822) is a member `*.eml`. Of a multipart/alternative only the plain
text is read (the HTML twin says the same); an HTML-only body is reduced to text here, so the
body stays part of the message's own result instead of a separate member.

Bodies are decoded with their declared charset (EUC-KR and its aliases as CP949, its superset);
without one, or when it does not fit, `decode_text` detects it.

An mbox is split on its `From ` separator lines (a `From ` line after a blank line); each message
is a member `message-N.eml`, so a finding names the message it is in.
"""

from __future__ import annotations

import codecs
import email
import mimetypes
import re
from email import policy
from email.message import EmailMessage, Message
from html.parser import HTMLParser

from pii_audit.extract.base import prose_segments, row_segment
from pii_audit.extract.container import Budget, Members, fix_surrogates
from pii_audit.extract.encoding import decode_text
from pii_audit.model import Extraction, Limits, Location, Segment

HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Sender", "Subject")
_STRONG = {b"from", b"received", b"mime-version", b"message-id", b"return-path", b"delivered-to"}
_KNOWN = _STRONG | {b"to", b"cc", b"subject", b"date", b"reply-to", b"content-type", b"x-mailer", b"sender"}
_FIELD = re.compile(rb"([!-9;-~]+):")  # RFC 5322 field name: printable ASCII but ':'
_MBOX_SEP = re.compile(rb"(?:\A|\r?\n\r?\n)From [^\r\n]*\r?\n")
_MBOX_QUOTED = re.compile(rb"^>(>*From )", re.MULTILINE)
_KOREAN_CODECS = {"euc_kr", "ks_c_5601_1987", "cp949", "uhc", "ks_x_1001"}


def looks_like_eml(data: bytes) -> bool:
    """A header block: every line up to the first blank one is `Field: value` or a continuation,
    with at least two known mail fields, one of which only mail has (From, Received, …)."""
    names: list[bytes] = []
    for line in data[:16384].split(b"\n"):
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            if not names:
                return False
            continue
        match = _FIELD.match(line)
        if match is None:
            return False
        names.append(match.group(1).lower())
    else:
        if len(data) > 16384:
            return False  # no end of the header block in sight
    known = [n for n in names if n in _KNOWN]
    return len(known) >= 2 and any(n in _STRONG for n in names)


def looks_like_mbox(data: bytes) -> bool:
    if not data.startswith(b"From "):
        return False
    first = data.find(b"\n")
    return first > 5 and looks_like_eml(data[first + 1 :])


class EmlExtractor:
    format = "eml"

    def extract(self, data: bytes, name: str, limits: Limits, budget: Budget) -> Extraction:
        message = email.message_from_bytes(data, policy=policy.default)
        sink = Members(limits, budget)
        segments: list[Segment] = []
        header = _header_segment(message)
        if header is not None:
            segments.append(header)
        bodies: list[Message] = []
        attachments: list[Message] = []
        _parts(message, bodies, attachments)
        for part in bodies:
            text = _part_text(part)
            if part.get_content_type() == "text/html":
                text = html_text(text)
            segments.extend(prose_segments(text))
        for index, part in enumerate(attachments, start=1):
            if sink.admit():
                _attach(part, index, sink)
        notes = [] if message.defects == [] else [f"mail defects: {len(message.defects)}"]
        return sink.extraction(self.format, segments, notes)


class MboxExtractor:
    format = "mbox"

    def extract(self, data: bytes, name: str, limits: Limits, budget: Budget) -> Extraction:
        sink = Members(limits, budget)
        starts = list(_MBOX_SEP.finditer(data))
        for index, match in enumerate(starts, start=1):
            if not sink.admit():
                break
            end = starts[index].start() if index < len(starts) else len(data)
            message = _MBOX_QUOTED.sub(rb"\1", data[match.end() : end])  # mboxrd: >From → From
            sink.add(sink.name(f"message-{index}.eml", f"message-{index}.eml"), message)
        return sink.extraction(self.format)


def _header_segment(message: EmailMessage) -> Segment | None:
    raw = {k.lower(): v for k, v in reversed(list(message.raw_items()))}  # first occurrence wins
    values: list[str | None] = []
    for field in HEADERS:
        value = raw.get(field.lower())
        if value is None:
            values.append(None)
        elif any("\udc80" <= ch <= "\udcff" for ch in value):
            values.append(" ".join(fix_surrogates(value).split()))  # raw 8-bit: CP949 from old clients
        else:
            try:
                values.append(" ".join(str(message[field]).split()))
            except Exception:  # a header the parser cannot fold back: keep the raw text
                values.append(" ".join(value.split()))
    return row_segment(HEADERS, values, Location(), cells=HEADERS)


def _parts(part: Message, bodies: list[Message], attachments: list[Message]) -> None:
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        attachments.append(part)
        return
    if part.is_multipart():
        children = list(part.get_payload())
        if ctype == "multipart/alternative" and children:
            plain = [c for c in children if c.get_content_type() == "text/plain"]
            children = plain[:1] or children[-1:]  # the last alternative is the richest
        for child in children:
            if isinstance(child, Message):
                _parts(child, bodies, attachments)
        return
    inline_text = ctype in ("text/plain", "text/html") and part.get_content_disposition() != "attachment"
    if inline_text and not part.get_filename():
        bodies.append(part)
    else:
        attachments.append(part)


def _attach(part: Message, index: int, sink: Members) -> None:
    ctype = part.get_content_type()
    filename = fix_surrogates(part.get_filename() or "")
    filename = filename.replace("\\", "/").rsplit("/", 1)[-1]  # a file name, not a path
    if ctype == "message/rfc822":
        inner = part.get_payload(0)
        data = bytes(inner) if isinstance(inner, Message) else b""
        if not filename.lower().endswith(".eml"):
            filename = f"{filename or f'message-{index}'}.eml"
    else:
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if not filename:
            filename = f"attachment-{index}{mimetypes.guess_extension(ctype) or ''}"
    sink.add(sink.name(filename, f"attachment-{index}"), data)


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    raw = payload if isinstance(payload, bytes) else b""
    codec = _codec(part.get_content_charset())
    if codec is not None:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass  # mislabelled: detect below
    return decode_text(raw)[0]


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return "cp949" if charset.lower().replace("-", "_") in _KOREAN_CODECS else None
    return "cp949" if name in _KOREAN_CODECS else name


class _TextOnly(HTMLParser):
    _SKIP = {"script", "style", "head", "title"}
    _BREAK = {"br", "p", "div", "tr", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BREAK:
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BREAK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.out.append(data)


def html_text(markup: str) -> str:
    """Visible text of an HTML body: tags dropped, blocks on their own lines, entities decoded."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.out).splitlines())
    return "\n".join(lines)
