"""Protect: encrypt files with a password, verified before anything is replaced.

- OOXML (xlsx, docx, pptx and their macro variants) is encrypted in place with the standard
  Agile encryption (AES-256, `msoffcrypto-tool`): Excel, Word and LibreOffice open it with the password.
- Everything else (csv, txt, hwp, pdf, xls, zip…) goes into `NAME.7z`, AES-256 with the names
  encrypted too (`py7zr`), and the original is removed.

The protected copy is written to a temporary file beside the original, decrypted again and
compared with the original by sha256; only then does it replace the original (a rename), with the
original's mode and owner. Each change is journalled with both hashes, so `restore` can undo it
with the same password.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Sequence
from enum import Enum
from typing import IO, Any

from pii_audit.errors import RemedyError
from pii_audit.remedy import fileops, share
from pii_audit.remedy.guard import changed_since, check
from pii_audit.remedy.journal import Journal, path_fields
from pii_audit.remedy.plan import Outcome, Step, run_steps
from pii_audit.remedy.share import ShareFile, is_share
from pii_audit.remedy.targets import Target

_OOXML_PARTS = ("xl/workbook.xml", "word/document.xml", "ppt/presentation.xml")


class Method(str, Enum):
    ooxml = "ooxml"  # Office Agile encryption, in place
    sevenzip = "7z"  # an AES-256 7z archive beside it, the original removed


def method_of(location: str | IO[bytes]) -> Method:
    """By content, not by name: a zip holding an Office document's main part is OOXML."""
    try:
        with zipfile.ZipFile(location) as z:
            names = set(z.namelist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return Method.sevenzip
    if "[Content_Types].xml" in names and names & set(_OOXML_PARTS):
        return Method.ooxml
    return Method.sevenzip


def archive_path(location: str) -> str:
    return location + ".7z"


def describe(method: Method, location: str) -> str:
    if method is Method.ooxml:
        return "encrypt in place (Office Agile encryption, AES-256)"
    return f"into {os.path.basename(archive_path(location))} (7z, AES-256, names encrypted; original removed)"


def plan(targets: Sequence[Target], started: float) -> list[Step]:
    steps = []
    for target in targets:
        checked = check(target, started)
        if checked.refused:
            steps.append(Step(checked, "skip", checked.refused))
            continue
        if is_share(target.location):
            try:
                method = method_of(io.BytesIO(ShareFile.at(target.location).read()))
                taken = method is Method.sevenzip and ShareFile.at(archive_path(target.location)).exists()
            except (OSError, RemedyError) as exc:
                steps.append(Step(checked, "skip", f"cannot read: {exc}"))
                continue
        else:
            method = method_of(target.location)
            taken = method is Method.sevenzip and os.path.lexists(archive_path(target.location))
        if taken:
            steps.append(Step(checked, "skip", f"{os.path.basename(archive_path(target.location))} already exists"))
            continue
        steps.append(Step(checked, "protect", describe(method, target.location)))
    return steps


# ---- encrypting and checking -------------------------------------------------------------------


# msoffcrypto and py7zr are imported where they are used: every pii-audit command loads this
# module, and the two cost about 0.2 s to import.


def encrypt_ooxml(plain: bytes, password: str, out: IO[bytes]) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    OOXMLFile(io.BytesIO(plain)).encrypt(password, out)


def decrypt_office(path: str, password: str) -> bytes:
    """The plain bytes of an encrypted Office file (raises on a wrong password)."""
    import msoffcrypto

    with open(path, "rb") as fh:
        office = msoffcrypto.OfficeFile(fh)
        office.load_key(password=password, verify_password=True)
        out = io.BytesIO()
        office.decrypt(out)
    return out.getvalue()


def write_7z(src: str, name: str, password: str, target: str) -> None:
    import py7zr

    with py7zr.SevenZipFile(target, "w", password=password, header_encryption=True) as z:
        z.write(src, arcname=name)


def sevenzip_bytes(data: bytes, name: str, password: str) -> bytes:
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w", password=password, header_encryption=True) as z:
        z.writestr(data, name)
    return out.getvalue()


def office_plain(encrypted: bytes, password: str) -> bytes:
    import msoffcrypto

    office = msoffcrypto.OfficeFile(io.BytesIO(encrypted))
    office.load_key(password=password, verify_password=True)
    out = io.BytesIO()
    office.decrypt(out)
    return out.getvalue()


def sevenzip_member(archive: bytes, password: str) -> tuple[str, bytes]:
    """The only member of a 7z made by `protect`, decrypted in memory."""
    import py7zr
    from py7zr.io import BytesIOFactory

    factory = BytesIOFactory(len(archive) * 2000 + (64 << 20))
    with py7zr.SevenZipFile(io.BytesIO(archive), "r", password=password) as z:
        names = z.getnames()
        if len(names) != 1:
            raise RemedyError("not the single-file archive protect made")
        z.extract(targets=names, factory=factory)
    product = factory.get(names[0])
    product.seek(0)
    return names[0], product.read()


def digest_7z(path: str | IO[bytes], password: str) -> dict[str, str]:
    """sha256 of each member of an encrypted 7z, by name (decrypted as a stream, never to disk)."""
    import py7zr
    from py7zr.io import HashIOFactory

    factory = HashIOFactory()
    with py7zr.SevenZipFile(path, "r", password=password) as z:
        names = z.getnames()
        z.extract(targets=names, factory=factory)
    return {n: factory.get(n).read().hex() for n in names}


# ---- applying ------------------------------------------------------------------------------------


def apply(steps: Sequence[Step], password: str, journal: Journal, started: float, source: str = "") -> list[Outcome]:
    return run_steps(steps, lambda step: _protect(step.checked.target, password, journal, started, source))


def _protect_share(target: Target, password: str, journal: Journal, started: float, source: str) -> Outcome:
    """The same on a share: encrypted and checked in memory, journalled, then written beside the
    original and renamed over it (Office), or written as NAME.7z before the original is removed."""
    checked = check(target, started)
    if checked.refused or checked.st is None:
        return Outcome(target.path, "skip", False, checked.refused or "cannot stat")
    st = checked.st
    there = ShareFile.at(target.location)
    try:
        plain = there.read()
        before = fileops.sha256_bytes(plain)
        method = method_of(io.BytesIO(plain))
        if method is Method.ooxml:
            out = io.BytesIO()
            encrypt_ooxml(plain, password, out)
            sealed = out.getvalue()
            same = fileops.sha256_bytes(office_plain(sealed, password)) == before
        else:
            sealed = sevenzip_bytes(plain, fileops.display_name(there.name), password)
            same = list(digest_7z(io.BytesIO(sealed), password).values()) == [before]
        if not same:
            return Outcome(target.path, "skip", False, "the encrypted copy did not decrypt to the original")
        now = there.stat()
        if (now.st_size, now.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
            return Outcome(target.path, "skip", False, "changed while it was being encrypted")
        result = there if method is Method.ooxml else ShareFile.at(archive_path(target.location))
        journal.append(
            {
                "action": "protect",
                "id": uuid.uuid4().hex,
                "store": "smb",
                "method": method.value,
                "original": there.location,
                "result": result.location,
                "path": target.path,
                "sha256_before": before,
                "sha256_after": fileops.sha256_bytes(sealed),
                "size": len(plain),
                **share.meta_of(st).to_dict(),
                "reason": target.reason,
                "report": source,
            }
        )
        result.write(sealed, replace=method is Method.ooxml)
        if method is Method.sevenzip:
            there.remove()
    except FileExistsError:
        return Outcome(
            target.path, "skip", False, f"{os.path.basename(archive_path(target.location))} appeared meanwhile"
        )
    except OSError as exc:
        return Outcome(target.path, "skip", False, f"cannot encrypt: {exc.strerror or type(exc).__name__}")
    except Exception as exc:  # a library refusing this file's content: one file, never the run
        return Outcome(target.path, "skip", False, f"cannot encrypt: {type(exc).__name__}")
    return Outcome(target.path, "protect", True, "encrypted in place" if result is there else result.location)


def _protect(target: Target, password: str, journal: Journal, started: float, source: str) -> Outcome:
    if is_share(target.location):
        return _protect_share(target, password, journal, started, source)
    checked = check(target, started)  # look again just before touching it
    if checked.refused or checked.st is None:
        return Outcome(target.path, "skip", False, checked.refused or "cannot stat")
    st = checked.st
    meta = fileops.FileMeta.of(st)
    method = method_of(target.location)
    try:
        if method is Method.ooxml:
            with open(target.location, "rb") as fh:
                plain = fh.read()
            before = fileops.sha256_bytes(plain)
        else:
            before = fileops.sha256(target.location)
        result = target.location if method is Method.ooxml else archive_path(target.location)
        with fileops.temp_beside(result) as (out, tmp):
            if method is Method.ooxml:
                encrypt_ooxml(plain, password, out)
                out.flush()
                os.fsync(out.fileno())
                same = fileops.sha256_bytes(decrypt_office(tmp, password)) == before
            else:
                out.close()
                name = os.path.basename(target.location)
                write_7z(target.location, fileops.display_name(name), password, tmp)
                fileops.fsync_path(tmp)
                same = list(digest_7z(tmp, password).values()) == [before]
            if not same:
                return Outcome(target.path, "skip", False, "the encrypted copy did not decrypt to the original")
            notes = fileops.keep_owner_and_mode(tmp, meta)
            now = os.lstat(target.location)
            if (now.st_size, now.st_mtime_ns) != (st.st_size, st.st_mtime_ns) or changed_since(
                now, target.size, started, target.modified
            ):
                return Outcome(target.path, "skip", False, "changed while it was being encrypted")
            after = fileops.sha256(tmp)
            # Journalled before the rename: an entry whose change never happened is harmless
            # (`restore` finds the original and has nothing to do); a change without one is not.
            journal.append(
                {
                    "action": "protect",
                    "id": uuid.uuid4().hex,
                    "method": method.value,
                    **path_fields("original", os.path.abspath(target.location)),
                    **path_fields("result", os.path.abspath(result)),
                    "path": target.path,
                    "sha256_before": before,
                    "sha256_after": after,
                    "size": st.st_size,
                    **meta.to_dict(),
                    "reason": target.reason,
                    "report": source,
                }
            )
            fileops.publish(tmp, result, replace=method is Method.ooxml)
    except FileExistsError:
        return Outcome(target.path, "skip", False, f"{os.path.basename(result)} appeared meanwhile")
    except OSError as exc:
        return Outcome(target.path, "skip", False, f"cannot encrypt: {exc.strerror or type(exc).__name__}")
    except Exception as exc:  # a library refusing this file's content: one file, never the run
        return Outcome(target.path, "skip", False, f"cannot encrypt: {type(exc).__name__}")
    if method is Method.ooxml:
        return Outcome(target.path, "protect", True, "encrypted in place", tuple(notes))
    os.unlink(target.location)
    fileops.fsync_dir(os.path.dirname(os.path.abspath(target.location)))
    return Outcome(target.path, "protect", True, result, tuple(notes))


# ---- undoing (see undo.py) -----------------------------------------------------------------------


def _is(path: str, digest: object) -> bool:
    return os.path.isfile(path) and not os.path.islink(path) and fileops.sha256(path) == digest


def _share_refusal(entry: dict[str, Any], current: str, original: str) -> str | None:
    now = share.sha_of(ShareFile.at(current))
    if entry.get("method") == Method.ooxml.value:
        if now is None:
            return "the encrypted file is missing"
        return (
            None
            if now in (entry.get("sha256_after"), entry.get("sha256_before"))
            else "the file changed since it was encrypted"
        )
    there = share.sha_of(ShareFile.at(original))
    if there is not None:
        return None if there == entry.get("sha256_before") else "a different file now exists at the original path"
    if now is None:
        return "the encrypted file is missing"
    return None if now == entry.get("sha256_after") else "the archive changed since it was made"


def _share_decrypt_back(
    entry: dict[str, Any], current: str, original: str, meta: fileops.FileMeta, password: str
) -> tuple[str | None, list[str]]:
    before = entry.get("sha256_before")
    there, holder = ShareFile.at(original), ShareFile.at(current)
    try:
        if entry.get("method") == Method.ooxml.value:
            sealed = holder.read()
            if fileops.sha256_bytes(sealed) == before:
                return None, []  # already decrypted
            plain = office_plain(sealed, password)
        else:
            if there.exists():
                return None, []  # the original was never removed (checked by `refusal`)
            _, plain = sevenzip_member(holder.read(), password)
        if fileops.sha256_bytes(plain) != before:
            return "the decrypted file differs from the original", []
        there.write(plain, replace=entry.get("method") == Method.ooxml.value)
        there.set_times(meta.atime_ns, meta.mtime_ns)
        return None, []
    except FileExistsError:
        return "a file appeared at the original path", []
    except OSError as exc:
        return f"cannot restore: {exc.strerror or type(exc).__name__}", []
    except Exception as exc:
        return f"cannot decrypt ({type(exc).__name__}): wrong password?", []


def refusal(entry: dict[str, Any], current: str, original: str) -> str | None:
    if is_share(original):
        return _share_refusal(entry, current, original)
    if not os.path.lexists(current) and current != original and _is(original, entry.get("sha256_before")):
        return None  # interrupted before the archive was put in place: the original is still there
    if not os.path.isfile(current) or os.path.islink(current):
        return "the encrypted file is missing"
    digest = fileops.sha256(current)
    if entry.get("method") == Method.ooxml.value:
        if digest not in (entry.get("sha256_after"), entry.get("sha256_before")):
            return "the file changed since it was encrypted"
        return None
    if digest != entry.get("sha256_after"):
        return "the archive changed since it was made"
    if os.path.lexists(original):
        if _is(original, entry.get("sha256_before")):
            return None  # interrupted before the original was removed: only the archive goes
        return "a different file now exists at the original path"
    return None


def decrypt_back(
    entry: dict[str, Any], current: str, original: str, meta: fileops.FileMeta, password: str
) -> tuple[str | None, list[str]]:
    """Write the decrypted original back (checked against its sha256, with its mode, owner and
    times). Returns why not, or the notes. The caller journals it, then removes a 7z archive."""
    if is_share(original):
        return _share_decrypt_back(entry, current, original, meta, password)
    before = entry.get("sha256_before")
    try:
        if entry.get("method") == Method.ooxml.value:
            if fileops.sha256(current) == before:
                return None, []  # already decrypted
            plain = decrypt_office(current, password)
            if fileops.sha256_bytes(plain) != before:
                return "the decrypted file differs from the original", []
            with fileops.temp_beside(original) as (out, tmp):
                out.write(plain)
                out.flush()
                os.fsync(out.fileno())
                notes = fileops.keep_meta(out.fileno(), meta)
                out.close()
                fileops.publish(tmp, original, replace=True)
            return None, notes
        if os.path.lexists(original):
            return None, []  # the original was never removed (checked by `refusal`)
        return _extract_back(current, original, meta, password, before)
    except OSError as exc:
        return f"cannot restore: {exc.strerror or type(exc).__name__}", []
    except Exception as exc:  # msoffcrypto / py7zr on a wrong password or a damaged file
        return f"cannot decrypt ({type(exc).__name__}): wrong password?", []


def _extract_back(
    archive: str, original: str, meta: fileops.FileMeta, password: str, before: object
) -> tuple[str | None, list[str]]:
    import py7zr

    folder = tempfile.mkdtemp(prefix=fileops.TEMP_PREFIX, dir=os.path.dirname(os.path.abspath(original)))
    try:
        os.chmod(folder, 0o700)
        with py7zr.SevenZipFile(archive, "r", password=password) as z:
            names = z.getnames()
            if len(names) != 1:
                return "not the single-file archive protect made", []
            z.extractall(path=folder)
        extracted = os.path.join(folder, names[0])
        if not os.path.realpath(extracted).startswith(os.path.realpath(folder) + os.sep) or not os.path.isfile(
            extracted
        ):
            return "not the single-file archive protect made", []
        if fileops.sha256(extracted) != before:
            return "the decrypted file differs from the original", []
        fd = os.open(extracted, os.O_RDONLY)
        try:
            os.fsync(fd)
            notes = fileops.keep_meta(fd, meta)
        finally:
            os.close(fd)
        fileops.publish(extracted, original, replace=False)
        return None, notes
    finally:
        shutil.rmtree(folder, ignore_errors=True)
