"""Builders for container fixtures (zip, tar, compressed, 7z, mail), all in memory and synthetic."""

from __future__ import annotations

import io
import tarfile
import zipfile

from tests.fixtures import PEOPLE, rrn

ROSTER_CSV = "성명,주민등록번호,주소\r\n" + "".join(
    f"{n},{rrn(b, 1 + i % 2)},{a}\r\n" for i, (n, b, a, _) in enumerate(PEOPLE)
)
FIRST_RRN_MASK = rrn(PEOPLE[0][1], 1)[:8]  # masks keep the birth date and the sex digit


class LegacyNameInfo(zipfile.ZipInfo):
    """A member whose name is written as raw CP949 bytes without the UTF-8 flag, as Korean
    Windows zip tools do (zipfile itself would write UTF-8 and set flag bit 11)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's name
        return self.filename.encode("cp949"), self.flag_bits & ~0x800


def zip_bytes(members: dict[str, bytes], legacy_names: bool = False, deflate: bool = True) -> bytes:
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            info = LegacyNameInfo(name) if legacy_names else zipfile.ZipInfo(name)
            info.compress_type = method
            archive.writestr(info, data)
    return out.getvalue()


def symlink_zip(target: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo("link-to-secret")
        info.create_system = 3
        info.external_attr = (0o120777 << 16) | 0
        archive.writestr(info, target)
        archive.writestr("ok.txt", "nothing here")
    return out.getvalue()


def encrypt_flags(data: bytes, names: set[bytes] | None = None) -> bytes:
    """Set flag bit 0 (encrypted) in the local and central headers of the named members (all when
    None). The content stays plain, which is enough: readers decide by the flag."""
    buf = bytearray(data)
    for signature, flag_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        at = buf.find(signature)
        while at != -1:
            size = int.from_bytes(buf[at + name_len_at : at + name_len_at + 2], "little")
            name = bytes(buf[at + name_at : at + name_at + size])
            if names is None or name in names:
                buf[at + flag_at] |= 0x01
            at = buf.find(signature, at + 4)
    return bytes(buf)


def tar_bytes(members: dict[str, bytes], mode: str = "w:gz", symlink: str | None = None) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as archive:  # type: ignore[call-overload]
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if symlink:
            link = tarfile.TarInfo(symlink)
            link.type = tarfile.SYMTYPE
            link.linkname = "/etc/shadow"
            archive.addfile(link)
    return out.getvalue()


def nested_bomb(fanout: int, depth: int) -> bytes:
    """A 42.zip-style bomb: `fanout` copies of the level below at each of `depth` levels, so a
    small file holds fanout**depth leaves (each a short text)."""
    data = zip_bytes({f"leaf{i}.txt": b"nothing here\n" for i in range(fanout)})
    for level in range(depth - 1):
        data = zip_bytes({f"l{level}-{i}.zip": data for i in range(fanout)})
    return data


def overlapping_zip(members: int, shared: bool = True) -> bytes:
    """A zip whose central directory entries all point at one member's local header (`shared`), or
    each into the middle of the one before: many members, one compressed stream."""
    data = bytearray(zip_bytes({f"m{i}.txt": bytes(2000) for i in range(members)}))
    first = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    at = data.find(b"PK\x01\x02")
    for index in range(members):
        offset = 0 if shared else index * 8  # 8 bytes into the previous header: inside its data
        data[at + 42 : at + 46] = offset.to_bytes(4, "little")
        data[at + 20 : at + 28] = first.compress_size.to_bytes(4, "little") + first.file_size.to_bytes(4, "little")
        name_len, extra_len, comment_len = (int.from_bytes(data[at + k : at + k + 2], "little") for k in (28, 30, 32))
        at += 46 + name_len + extra_len + comment_len
    return bytes(data)
