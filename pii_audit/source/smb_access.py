"""Who owns a file on an SMB share and who can read it: the owner SID and the DACL, read with an
SMB2 QUERY_INFO for the file's security descriptor (smbprotocol), with the creation time.

Audience from the DACL (allow entries that grant reading data, after deny entries for the same
SID; inherit-only entries do not apply to the file itself):
- `everyone`: Everyone (S-1-1-0), Anonymous Logon, Guests, or no DACL at all (full access);
- `organisation`: Authenticated Users, BUILTIN\\Users, Domain Users (RID 513) and any other group
  or account besides the owner;
- `owner-only`: only the owner, SYSTEM, administrators and CREATOR OWNER.
Well-known SIDs are named (Everyone, Authenticated Users, BUILTIN\\Users, Domain Users, Unix
User/Group for Samba's S-1-22 mapping); others appear as SIDs. `inherited` is true when the widest
readers come from an entry inherited from the folder.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass

from pii_audit.model import Access, Audience

SECURITY_INFO = 0x03  # SMB2_0_INFO_SECURITY
OWNER_GROUP_DACL = 0x01 | 0x02 | 0x04  # OWNER_, GROUP_, DACL_SECURITY_INFORMATION
READ_CONTROL, FILE_READ_ATTRIBUTES = 0x00020000, 0x00000080
_READ_BITS = 0x00000001 | 0x80000000 | 0x10000000  # FILE_READ_DATA, GENERIC_READ, GENERIC_ALL
_ALLOW, _DENY = 0x00, 0x01
_INHERIT_ONLY, _INHERITED = 0x08, 0x10
_FILETIME_1970 = 116_444_736_000_000_000

WELL_KNOWN = {
    "S-1-1-0": "Everyone",
    "S-1-5-7": "Anonymous Logon",
    "S-1-5-32-546": "BUILTIN\\Guests",
    "S-1-5-11": "Authenticated Users",
    "S-1-5-4": "Interactive",
    "S-1-5-32-545": "BUILTIN\\Users",
    "S-1-5-32-544": "BUILTIN\\Administrators",
    "S-1-5-18": "NT AUTHORITY\\SYSTEM",
    "S-1-3-0": "CREATOR OWNER",
    "S-1-3-1": "CREATOR GROUP",
}
DOMAIN_RIDS = {"512": "Domain Admins", "513": "Domain Users", "514": "Domain Guests", "515": "Domain Computers"}
EVERYONE_SIDS = {"S-1-1-0", "S-1-5-7", "S-1-5-32-546"}
ADMIN_SIDS = {"S-1-5-18", "S-1-5-32-544", "S-1-3-0"}


def sid_name(sid: str) -> str:
    """A well-known SID by name, Samba's Unix mapping as `Unix User\\1000`, any other as the SID."""
    if sid in WELL_KNOWN:
        return WELL_KNOWN[sid]
    parts = sid.split("-")
    if sid.startswith("S-1-5-21-") and len(parts) == 8 and parts[-1] in DOMAIN_RIDS:
        return DOMAIN_RIDS[parts[-1]]
    if sid.startswith("S-1-22-1-") and len(parts) == 5:
        return f"Unix User\\{parts[-1]}"
    if sid.startswith("S-1-22-2-") and len(parts) == 5:
        return f"Unix Group\\{parts[-1]}"
    return sid


def _admin(sid: str) -> bool:
    return sid in ADMIN_SIDS or (sid.startswith("S-1-5-21-") and sid.endswith("-512"))


@dataclass(frozen=True)
class Ace:
    kind: int
    flags: int
    mask: int
    sid: str


@dataclass(frozen=True)
class SecurityDescriptor:
    owner: str | None
    dacl: tuple[Ace, ...] | None  # None: no DACL (everyone has full access)


def _sid(data: bytes, offset: int) -> str:
    revision, count = data[offset], data[offset + 1]
    authority = int.from_bytes(data[offset + 2 : offset + 8], "big")
    subs = struct.unpack_from(f"<{count}I", data, offset + 8)
    return "-".join(["S", str(revision), str(authority), *map(str, subs)])


def parse_descriptor(data: bytes) -> SecurityDescriptor:
    """A self-relative SECURITY_DESCRIPTOR ([MS-DTYP] 2.4.6). Raises ValueError when malformed."""
    try:
        _, _, control, owner_at, _, _, dacl_at = struct.unpack_from("<BBHIIII", data)
        owner = _sid(data, owner_at) if owner_at else None
        if not control & 0x0004 or not dacl_at:  # SE_DACL_PRESENT
            return SecurityDescriptor(owner, None)
        _, _, _, count, _ = struct.unpack_from("<BBHHH", data, dacl_at)
        aces, at = [], dacl_at + 8
        for _ in range(count):
            kind, flags, size = struct.unpack_from("<BBH", data, at)
            if size < 8:
                raise ValueError("ACE shorter than its header")
            if kind in (_ALLOW, _DENY):
                (mask,) = struct.unpack_from("<I", data, at + 4)
                aces.append(Ace(kind, flags, mask, _sid(data, at + 8)))
            at += size
        return SecurityDescriptor(owner, tuple(aces))
    except (struct.error, IndexError) as exc:
        raise ValueError(f"malformed security descriptor ({exc})") from None


def readers(sd: SecurityDescriptor) -> list[tuple[str, bool]]:
    """SIDs allowed to read the file's data, with whether that comes from an inherited entry."""
    if sd.dacl is None:
        return [("S-1-1-0", False)]
    denied: set[str] = set()
    allowed: dict[str, bool] = {}
    for ace in sd.dacl:
        if ace.flags & _INHERIT_ONLY or not ace.mask & _READ_BITS:
            continue
        if ace.kind == _DENY:
            denied.add(ace.sid)
        elif ace.sid not in denied and ace.sid not in allowed:
            allowed[ace.sid] = bool(ace.flags & _INHERITED)
    return list(allowed.items())


def access_of(sd: SecurityDescriptor, where: str) -> Access:
    """The audience of a file with this descriptor on share `where` (`\\\\host\\share`)."""
    wide: list[tuple[str, bool]] = []
    some: list[tuple[str, bool]] = []
    for sid, inherited in readers(sd):
        if sid in EVERYONE_SIDS:
            wide.append((sid, inherited))
        elif sid != sd.owner and not _admin(sid):
            some.append((sid, inherited))
    chosen = wide or some
    if wide:
        audience = Audience.EVERYONE
    elif some:
        audience = Audience.ORGANISATION
    else:
        audience = Audience.OWNER_ONLY
    basis = f"no DACL on {where}" if sd.dacl is None else f"DACL on {where}"
    return Access(
        owner=sid_name(sd.owner) if sd.owner else None,
        audience=audience,
        readers=_names(s for s, _ in chosen),
        basis=basis,
        inherited=bool(chosen) and all(i for _, i in chosen),
    )


def _names(sids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(sid_name(s) for s in sids))


def query_descriptor(unc_path: str, port: int) -> tuple[bytes, float | None]:
    """The raw security descriptor (owner, group, DACL) of a file and its creation time (epoch
    seconds), in one open with READ_CONTROL through the session fsspec's smb filesystem registered."""
    from smbclient._io import SMBFileTransaction, SMBRawIO, query_info
    from smbprotocol.file_info import FileBasicInformation
    from smbprotocol.open import SMB2QueryInfoRequest, SMB2QueryInfoResponse

    raw = SMBRawIO(
        unc_path, mode="r", share_access="rwd", desired_access=READ_CONTROL | FILE_READ_ATTRIBUTES, port=port
    )

    def security(transaction: SMBFileTransaction) -> None:
        request = SMB2QueryInfoRequest()
        request["info_type"] = SECURITY_INFO
        request["output_buffer_length"] = 64 * 1024
        request["additional_information"] = OWNER_GROUP_DACL
        request["file_id"] = transaction.raw.fd.file_id

        def receive(sent: object) -> bytes:
            response = transaction.raw.fd.connection.receive(sent)
            answer = SMB2QueryInfoResponse()
            answer.unpack(response["data"].get_value())
            return bytes(answer["buffer"].get_value())

        transaction += (request, receive)

    with SMBFileTransaction(raw) as transaction:
        security(transaction)
        query_info(transaction, FileBasicInformation)
    descriptor, basic = transaction.results
    created = int(basic["creation_time"].get_value())  # FILETIME: 100 ns since 1601-01-01 UTC
    return descriptor, (created - _FILETIME_1970) / 1e7 if created > _FILETIME_1970 else None
