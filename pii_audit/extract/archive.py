"""ZIP and TAR archives: members read into memory (never to disk), one bounded read each.

ZIP names without the UTF-8 flag (bit 11) are re-decoded from their raw bytes as UTF-8, else
CP949 (Korean Windows zip tools), else left as CP437. Encryption: when every file member is
encrypted the archive is `EncryptedFile`; when only some are, those members are reported as
skipped ("encrypted: …") and the rest is scanned. Links, devices and FIFOs are never followed.
"""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
import zlib

from pii_audit.errors import ArchiveBomb, CorruptFile, EncryptedFile
from pii_audit.extract.container import RATIO_FLOOR, Budget, Members, fix_surrogates
from pii_audit.model import Extraction, Limits

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


class ZipExtractor:
    format = "zip"

    def extract(self, data: bytes, name: str, limits: Limits, budget: Budget) -> Extraction:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise CorruptFile(f"zip: {type(exc).__name__}") from None
        with archive:
            overlap = overlapping_entries(archive.infolist())
            if overlap:
                raise ArchiveBomb(f"zip bomb: overlapping entries ({overlap})")
            entries = [i for i in archive.infolist() if not i.is_dir()]
            files = [i for i in entries if not _is_link(i)]
            if files and all(i.flag_bits & _ENCRYPTED_FLAG for i in files):
                raise EncryptedFile("encrypted: password-protected zip")
            sink = Members(limits, budget)
            for index, info in enumerate(entries, start=1):
                if sink.admit():
                    _read_zip_member(archive, info, sink.name(member_name(info), f"member-{index}"), sink)
        return sink.extraction(self.format)


def overlapping_entries(infos: list[zipfile.ZipInfo]) -> str | None:
    """Why the central directory describes overlapping members, or None. Members that share one
    compressed stream (or start inside another's data) let a small file inflate without bound."""
    # A member's data ends at least 30 bytes (its fixed local header) plus its compressed size after
    # the header starts; name and extra field lengths are left out, so honest files never overlap.
    spans = sorted((info.header_offset, info.header_offset + 30 + info.compress_size) for info in infos)
    for (start, _), (next_start, _) in zip(spans, spans[1:], strict=False):
        if next_start == start:
            return "two members share one local header"
    for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False):
        if next_start < end:
            return "a member starts inside another's data"
    return None


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its writer meant it (see the module docstring)."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.orig_filename.encode("cp437")  # zipfile decoded the raw bytes as CP437
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "cp949"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _read_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, sink: Members) -> None:
    if _is_link(info):
        sink.skip(name, "symbolic link: not followed")
        return
    if info.flag_bits & _ENCRYPTED_FLAG:
        sink.skip(name, "encrypted: password-protected zip member")
        return
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR and ratio > sink.limits.max_ratio:
        sink.skip(name, f"zip bomb suspected: ratio {ratio:.0f}")
        return
    if info.file_size > sink.budget.remaining:
        sink.skip(name, sink.over_budget())
        return
    cap, reason = sink.cap(info.file_size, info.compress_size)
    try:
        with archive.open(info) as stream:
            content = stream.read(cap + 1)  # the header may lie about the size
    except _READ_ERRORS as exc:
        sink.skip(name, f"zip: cannot read member ({type(exc).__name__})", status="failed")
        return
    sink.budget.charge(len(content))
    if len(content) > cap:
        sink.skip(name, reason)
        return
    sink.add(name, content)


class TarExtractor:
    """Plain and compressed tarballs (`r:*`: gzip, bzip2, xz)."""

    def __init__(self, format: str = "tar") -> None:
        self.format = format

    def extract(self, data: bytes, name: str, limits: Limits, budget: Budget) -> Extraction:
        try:
            # Closed by the `with` below; opening apart so that its errors mean a corrupt file.
            archive = tarfile.open(  # noqa: SIM115
                fileobj=io.BytesIO(data), mode="r:*", encoding="utf-8", errors="surrogateescape"
            )
        except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
            raise CorruptFile(f"{self.format}: {type(exc).__name__}") from None
        sink = Members(limits, budget)
        compressed = self.format != "tar"
        # In a compressed tarball, walking to the next header inflates everything before it: stop
        # walking once the stream position says the whole would be a bomb.
        stream_cap = max(RATIO_FLOOR, int(len(data) * limits.max_ratio)) if compressed else None
        with archive:
            index = 0
            while True:
                try:
                    info = archive.next()
                except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
                    if index == 0:
                        raise CorruptFile(f"{self.format}: {type(exc).__name__}") from None
                    sink.note(f"damaged after {index} entries ({type(exc).__name__}): the rest not read")
                    break
                if info is None:
                    break
                index += 1
                if info.isdir():
                    continue
                if stream_cap is not None and info.offset_data + info.size > stream_cap:
                    sink.note(
                        f"compression bomb suspected: ratio over {limits.max_ratio:g}; entries from {index} on not read"
                    )
                    break
                if not sink.admit():
                    break  # counting the rest would mean inflating it
                _read_tar_member(archive, info, sink.name(fix_surrogates(info.name), f"member-{index}"), sink)
        return sink.extraction(self.format)


def _read_tar_member(archive: tarfile.TarFile, info: tarfile.TarInfo, name: str, sink: Members) -> None:
    if info.issym() or info.islnk():
        sink.skip(name, "symbolic link: not followed" if info.issym() else "hard link: not followed")
        return
    if not info.isreg():
        sink.skip(name, "device or FIFO: not read")
        return
    if info.size > sink.budget.remaining:
        sink.skip(name, sink.over_budget())
        return
    try:
        stream = archive.extractfile(info)
        content = stream.read(info.size + 1) if stream is not None else b""
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
        sink.skip(name, f"tar: cannot read member ({type(exc).__name__})", status="failed")
        return
    sink.budget.charge(len(content))
    sink.add(name, content[: info.size])
