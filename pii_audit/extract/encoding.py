"""Bytes → text for text-like files, with Korean encodings in mind.

Order matters: a BOM is certain; NUL patterns reveal BOM-less UTF-16 of mostly-ASCII text; strict
UTF-8 almost never passes by accident; then strict CP949 if it yields Hangul, because
charset-normalizer guesses wrong on very short Korean input (a 6-byte CP949 name comes back as
big5); then BOM-less UTF-16 of pure Hangul (no NULs to see); then lines that are each UTF-8 or CP949
(files appended to by different tools); then UTF-8 with a few stray bytes (text with stray bytes is
text: decoded with replacement, `encoding_notes` says how many were replaced); then
charset-normalizer; and finally UTF-8 or CP949 with replacement, so text-ish input never raises.
"""

from __future__ import annotations

import codecs
import re
from itertools import islice

from charset_normalizer import from_bytes

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 8192
MIXED = "utf-8+cp949"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_HANGUL = re.compile("[\uac00-\ud7a3]")


def decode_text(data: bytes, partial: bool = False) -> tuple[str, str]:
    """Decode `data` and return (text, encoding name). NUL characters are removed.

    `partial=True` means `data` is a head cut from a longer file: an incomplete character at the
    end is dropped instead of making a strict decode fail.
    """
    text, encoding = _decode(data, partial)
    return text.replace("\x00", ""), encoding


def _decode(data: bytes, partial: bool) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            codec = "utf-8" if name == "utf-8-sig" else name
            return _lenient(body, codec, partial), name
    utf16 = _utf16_by_nuls(data[:_SAMPLE])
    if utf16:
        decoded = _strict(data, utf16, partial)
        if decoded is not None:
            return decoded, utf16
    for name in ("utf-8", "cp949"):
        decoded = _strict(data, name, partial)
        if decoded is not None and (name == "utf-8" or _has_hangul(decoded)):
            return decoded, name
    utf16 = _utf16_by_hangul(data, partial)
    if utf16:
        return _lenient(data, utf16, partial), utf16
    mixed = _by_line(data, partial)
    if mixed is not None:
        return mixed, MIXED
    stray = _utf8_with_stray_bytes(data, partial)
    if stray is not None:
        return stray, "utf-8"
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), _normal_name(best.encoding)
    # Damaged text (a cut or flipped byte): keep whichever of the two loses fewer characters.
    utf8 = _lenient(data, "utf-8", partial)
    cp949 = _lenient(data, "cp949", partial)
    if _has_hangul(cp949) and cp949.count("\ufffd") < utf8.count("\ufffd"):
        return cp949, "cp949"
    return utf8, "utf-8"


def encoding_notes(text: str, encoding: str) -> tuple[str, ...]:
    """The notes an extraction carries about its decoding: the encoding, and how many bytes could
    not be decoded and were replaced (a file with stray bytes is still scanned, and says so)."""
    replaced = text.count("\ufffd")
    if not replaced:
        return (f"encoding: {encoding}",)
    return (f"encoding: {encoding}", f"{replaced} undecodable byte sequence(s) replaced (U+FFFD); the rest was scanned")


def _utf8_with_stray_bytes(data: bytes, partial: bool) -> str | None:
    """UTF-8 with a few invalid bytes (a flipped bit, a stray Latin-1 or CP949 character): at least
    as many bytes in well-formed three-byte characters as errors, or ASCII around at most 1% of
    stray bytes. A file in another legacy encoding has (almost) no such characters to show."""
    text = _lenient(data, "utf-8", partial)
    errors = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if errors <= 0:
        return None
    # Three-byte characters (Hangul, CJK) as evidence: CP949 bytes form two-byte UTF-8 by accident.
    wide = 3 * sum(1 for ch in text if "\u0800" <= ch != "\ufffd")
    if wide >= errors or errors <= max(1, len(data) // 100):
        return text
    return None


def _by_line(data: bytes, partial: bool) -> str | None:
    """Files appended to by tools with different defaults mix UTF-8 and CP949 lines; decode each
    line strictly as one or the other, or give up."""
    lines = data.splitlines(keepends=True)
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        cut = partial and number == len(lines)
        text = _strict(line, "utf-8", cut)
        if text is None:
            text = _strict(line, "cp949", cut)
            if text is None or not _has_hangul(text):
                return None
        out.append(text)
    return "".join(out)


def _strict(data: bytes, codec: str, partial: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(codec)("strict").decode(data, final=not partial)
    except (UnicodeDecodeError, LookupError):
        return None


def _lenient(data: bytes, codec: str, partial: bool) -> str:
    return codecs.getincrementaldecoder(codec)("replace").decode(data, final=not partial)


def _utf16_by_nuls(sample: bytes) -> str | None:
    """Mostly-ASCII UTF-16 has a NUL in every other byte; which half tells the byte order."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    pairs = len(sample) // 2
    if pairs < 1 or max(even, odd) < pairs * 0.2:
        return None
    if odd > even * 4:
        return "utf-16-le"
    if even > odd * 4:
        return "utf-16-be"
    return None


def _utf16_by_hangul(data: bytes, partial: bool) -> str | None:
    """BOM-less UTF-16 of pure Hangul has no NULs; accept a byte order whose decode is (almost)
    all Hangul, ASCII or whitespace while the other is not."""
    if len(data) % 2 and not partial:
        return None
    scores: dict[str, float] = {}
    for name in ("utf-16-le", "utf-16-be"):
        decoded = _strict(data[: _SAMPLE - _SAMPLE % 2], name, True)
        scores[name] = _plausible(decoded) if decoded else 0.0
    le, be = scores["utf-16-le"], scores["utf-16-be"]
    if le >= 0.9 and be < 0.5:
        return "utf-16-le"
    if be >= 0.9 and le < 0.5:
        return "utf-16-be"
    return None


def _plausible(text: str) -> float:
    good = sum(1 for ch in text if _is_hangul(ch) or (ch.isascii() and (ch.isprintable() or ch.isspace())))
    return good / len(text)


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def _has_hangul(text: str) -> bool:
    """Most non-ASCII characters are Hangul syllables: CP949 decoded Korean, not an accident."""
    sample = "".join(m.group() for m in islice(_NON_ASCII.finditer(text), 4096))
    return bool(sample) and len(_HANGUL.findall(sample)) >= len(sample) * 0.5


def _normal_name(name: str) -> str:
    return codecs.lookup(name).name
