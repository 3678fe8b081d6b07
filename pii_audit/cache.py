"""Incremental results: a warm rescan of an unchanged tree reads file metadata only.

SQLite at `$XDG_CACHE_HOME/pii-audit/cache.sqlite` (default `~/.cache/pii-audit/`), created 0600,
in WAL mode so that concurrent runs can share it. A file's results are found by its location,
size and mtime (no read); when the metadata of a local file changed, by the sha256 of its content
(one read, no extraction or NLP): a touched or copied file is not rescanned. Files on shares and
buckets (smb://, s3://, sftp://, webdav://) are found by URL (never with a password), size and ETag
where the store gives one (S3, WebDAV), else mtime.

What is stored: FileResults WITHOUT raw values (a finding's `text` is never written; findings are
kept as the masked JSON text the report prints, in UTF-8 as a BLOB, copied into a warm run's JSON
report as they are and decoded only when a report reads them one by one; `--reveal`
runs bypass the cache for reading, because the raw values are what they want, but still store
their results stripped). Fingerprints are keyed HMACs, so cached results are only valid under the
key that made them: the configuration hash (`config_digest`) covers an id of the key (an HMAC of
a constant, not the key), the tool version, the pattern files and word lists, the source of every
module that decides results, and the options that change them. Anything else in the row is plain
data about the file. The run key is by default the persistent `key_file()` (0600), so fingerprints,
cache entries and baselines match across runs; with an ephemeral key the cache is not used.
Failed files are not stored (a timeout or crash may not happen again).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import stat
import time
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pii_audit import __version__, legal
from pii_audit.errors import PiiAuditError
from pii_audit.finding_json import EncodedFindings, Utf8, encode_utf8
from pii_audit.model import FileRef, FileResult, PersonRecord, Status, type_set
from pii_audit.options import AuditOptions
from pii_audit.packed import PackedRecords
from pii_audit.paths import member_path_bytes
from pii_audit.source.registry import is_url

log = logging.getLogger(__name__)

APP = "pii-audit"
SCHEMA = 5  # 5: payloads are UTF-8 BLOBs
_PACKAGE = Path(__file__).resolve().parent
# Modules that only present results, or run them, never change what a file yields.
_NOT_RESULT_CODE = (
    "cli",
    "report",
    "i18n",
    "cache.py",
    "executor.py",
    "audit.py",
    "score.py",
    "reasons.py",
)


class CacheError(PiiAuditError):
    """The cache or key file cannot be used."""


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP))


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP))


def key_file() -> Path:
    return config_dir() / "key"


def persistent_key(path: Path | None = None) -> bytes:
    """The local secret key for fingerprints, created 0600 on first use (in a 0700 directory)."""
    path = path or key_file()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another run created it first
        return _read_key(path)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    raw = path.read_text(encoding="ascii").strip()
    if len(raw) < 32:
        raise CacheError(f"{path}: key file is too short")
    return raw.encode("ascii")


def source_digest() -> str:
    """sha256 over the pattern files, word lists and the source of every module that decides results."""
    from pii_audit.detect.rules import patterns_dir
    from pii_audit.resources import PATTERNS_ROOT

    digest = hashlib.sha256()
    files = [path for parts, path in _files(_PACKAGE, ".py") if parts[0] not in _NOT_RESULT_CODE]
    # The word lists and gazetteers, and PII_AUDIT_PATTERNS_DIR, in this order: a set's order changed
    # from run to run, and with it the digest (every run a cache miss).
    for rules in dict.fromkeys((PATTERNS_ROOT, patterns_dir())):
        if rules.is_dir():
            files += [path for _, path in _files(rules)]
    for path in files:
        digest.update(os.path.basename(path).encode() + b"\0")
        with open(path, "rb") as fh:
            digest.update(fh.read())
    return digest.hexdigest()


def _files(root: Path, suffix: str = "") -> list[tuple[tuple[str, ...], str]]:
    """(parts below `root`, path) of the files under `root` whose names end with `suffix`, in the
    order `sorted(root.rglob("*" + suffix))` gives them (into no linked folder), without pathlib's
    cost: this runs at the start of every run that uses the cache."""
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(directory: str, parts: tuple[str, ...]) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir() and not entry.is_symlink():
                    walk(entry.path, (*parts, entry.name))
                elif entry.name.endswith(suffix) and entry.is_file():
                    found.append(((*parts, entry.name), entry.path))

    walk(os.fspath(root), ())
    found.sort()
    return found


def config_digest(opts: AuditOptions) -> str:
    """What cached results depend on besides the file: tool, rules, code, options, key id."""
    from pii_audit.detect.rules import rules_hash

    key_id = hmac.new(opts.key, b"pii-audit cache key id", hashlib.sha256).hexdigest()
    public = opts.public()
    for name in ("include", "exclude", "fail_on", "reveal"):  # choose files or render; no effect on one file
        public.pop(name, None)
    parts = [str(SCHEMA), __version__, rules_hash(), source_digest(), key_id, json.dumps(public, sort_keys=True)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def content_hash(location: str, chunk: int = 1 << 20) -> str | None:
    """sha256 of a local regular file, read like a scan reads (O_NOATIME, never a FIFO or device)."""
    digest = hashlib.sha256()
    base = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    try:
        try:
            fd = os.open(location, base | getattr(os, "O_NOATIME", 0))
        except PermissionError:  # O_NOATIME needs ownership of the file
            fd = os.open(location, base)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            while block := fh.read(chunk):
                digest.update(block)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


class ResultCache:
    """Results by (location, size, mtime) and by content hash, for one configuration."""

    def __init__(self, path: Path, opts: AuditOptions) -> None:
        self.path = path
        self.config = config_digest(opts)
        self.hits = 0
        self.misses = 0
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
        try:
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS results (config TEXT NOT NULL, location TEXT NOT NULL, size INTEGER,"
                " mtime_ns INTEGER, sha256 TEXT, stored REAL, payload TEXT NOT NULL,"
                " PRIMARY KEY (config, location))"
            )
            self._db.execute("CREATE INDEX IF NOT EXISTS by_hash ON results (config, sha256)")
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(results)")}
            if "etag" not in columns:  # caches made before remote stores had ETags
                self._db.execute("ALTER TABLE results ADD COLUMN etag TEXT")
        except sqlite3.Error as exc:
            raise CacheError(f"{path}: cannot open the cache ({type(exc).__name__})") from None
        for suffix in ("-wal", "-shm"):  # sqlite creates them with the umask
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.chmod(side, 0o600)

    @classmethod
    def open_default(cls, opts: AuditOptions) -> ResultCache:
        return cls(cache_dir() / "cache.sqlite", opts)

    def close(self) -> None:
        self._db.close()

    def lookup(self, ref: FileRef) -> list[FileResult] | None:
        if not _cacheable(ref):
            return None
        row = self._db.execute(
            "SELECT size, mtime_ns, etag, payload FROM results WHERE config = ? AND location = ?",
            (self.config, ref.location),
        ).fetchone()
        if row is not None and row[0] == ref.size and _unchanged(ref, row[1], row[2]):
            self.hits += 1
            return _decode(row[3], ref)
        # Metadata changed (or a new path): same content? Only local files are hashed; reading a
        # share's file to hash it would cost as much as scanning it.
        digest = None if is_url(ref.location) else content_hash(ref.location)
        if digest is not None:
            same = self._db.execute(
                "SELECT payload FROM results WHERE config = ? AND sha256 = ? LIMIT 1", (self.config, digest)
            ).fetchone()
            if same is not None:
                self.hits += 1
                self._put(ref, digest, same[0])
                return _decode(same[0], ref)
        self.misses += 1
        return None

    def store(self, ref: FileRef, results: Sequence[FileResult]) -> None:
        if not _cacheable(ref) or any(r.status is Status.FAILED for r in results):
            return
        if is_url(ref.location):  # smb://, s3://, sftp://: found again by location, size and mtime
            self._put(ref, None, _encode(ref, results))
            return
        digest = content_hash(ref.location)
        if digest is None:
            return
        self._put(ref, digest, _encode(ref, results))

    def _put(self, ref: FileRef, digest: str | None, payload: bytes) -> None:
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO results (config, location, size, mtime_ns, sha256, stored, payload, etag)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (self.config, ref.location, ref.size, _ns(ref.mtime), digest, time.time(), payload, ref.etag),
            )
        except sqlite3.Error as exc:  # a busy or full cache costs speed, never the run
            log.warning("cache write failed: %s", type(exc).__name__)


def _cacheable(ref: FileRef) -> bool:
    """Files with a size and an mtime or an ETag: local ones, and those of shares, buckets and WebDAV
    (their location is the URL without a password). Database tables have neither: read every time."""
    return ref.skip_reason is None and ref.size is not None and (ref.mtime is not None or ref.etag is not None)


def _unchanged(ref: FileRef, mtime_ns: int | None, etag: str | None) -> bool:
    """A store's ETag changes with the content (and only then): trusted over the mtime, whose
    granularity on WebDAV is a second. Without one on either side, the mtime decides."""
    if ref.etag is not None and etag is not None:
        return ref.etag == etag
    return ref.mtime is not None and mtime_ns == _ns(ref.mtime)


def _ns(mtime: float | None) -> int | None:
    return None if mtime is None else int(round(mtime * 1e9))


# --- encoding: plain JSON, never a raw value -----------------------------------------------------


# A payload is the results as JSON, then each result's findings as the report's JSON text, all in
# UTF-8 and separated by NUL (which JSON text never holds unescaped): the findings are copied into
# a warm run's report without being parsed, decoded or encoded again.
_SEP = b"\x00"


def _encode(top: FileRef, results: Sequence[FileResult]) -> bytes:
    items = []
    texts: list[Utf8] = []
    for r in results:
        data: dict[str, Any] = {}
        for f in dataclasses.fields(r):
            value = getattr(r, f.name)
            if f.name == "ref":
                value = {"suffix": r.ref.path[len(top.path) :], "size": r.ref.size}
            elif f.name == "status":
                value = r.status.value
            elif f.name == "findings":  # masked JSON text; `text` (the raw value) never stored
                masked = (  # encoded by the worker (finding_json.packed): never holds a raw value
                    r.findings
                    if isinstance(r.findings, EncodedFindings)
                    else [dataclasses.replace(x, text=None) if x.text is not None else x for x in r.findings]
                )
                texts.append(encode_utf8(masked, legal.is_sensitive_context(r.context_terms)))
                value = len(r.findings)
            elif f.name == "records":
                value = _encode_records(r.records)
            data[f.name] = value
        items.append(data)
    return _SEP.join([json.dumps(items, ensure_ascii=False).encode("utf-8"), *texts])


def _encode_records(records: Sequence[PersonRecord]) -> Any:
    if isinstance(records, PackedRecords):  # 14 bytes a record, as base64
        return {
            "types": [sorted(t) for t in records.types],
            "kinds": base64.b64encode(records.kinds.tobytes()).decode("ascii"),
            "keys": base64.b64encode(records.keys).decode("ascii"),
        }
    return [[",".join(sorted(x.entity_types)), x.key] for x in records]


def _decode_records(value: Any) -> Sequence[PersonRecord]:
    if isinstance(value, dict):
        kinds = array("H")
        kinds.frombytes(base64.b64decode(value["kinds"]))
        types = tuple(type_set(t) for t in value["types"])
        return PackedRecords(types, kinds, base64.b64decode(value["keys"]))
    by_name: dict[str, frozenset[str]] = {}
    return tuple(
        PersonRecord(by_name.get(t) or by_name.setdefault(t, type_set(t.split(",") if t else ())), k) for t, k in value
    )


def _texts(payload: bytes) -> tuple[bytes, list[memoryview]]:
    """A payload's results JSON, and its findings texts as views into it: megabytes of findings
    are not copied on their way to the report."""
    view = memoryview(payload)
    end = payload.find(_SEP)
    if end < 0:
        return payload, []
    head, texts = payload[:end], []
    while end >= 0:
        start, end = end + 1, payload.find(_SEP, end + 1)
        texts.append(view[start : end if end >= 0 else len(payload)])
    return head, texts


def _decode(payload: bytes, top: FileRef) -> list[FileResult]:
    out = []
    head, texts = _texts(payload)
    for data, text in zip(json.loads(head), texts, strict=True):
        suffix, size = data["ref"]["suffix"], data["ref"]["size"]
        ref = (
            top
            if not suffix
            else dataclasses.replace(
                top,
                path=top.path + suffix,
                location=top.location + suffix,
                size=size,
                skip_reason=None,
                path_bytes=member_path_bytes(top.path_bytes, suffix),
            )
        )
        data["ref"] = ref
        data["status"] = Status(data["status"])
        count = data["findings"]
        data["findings"] = EncodedFindings(text, count) if count else ()
        data["records"] = _decode_records(data["records"])
        data["entity_counts"] = tuple((t, n) for t, n in data["entity_counts"])
        for name, value in data.items():
            if isinstance(value, list):
                data[name] = tuple(value)
        out.append(FileResult(**data))
    return out
