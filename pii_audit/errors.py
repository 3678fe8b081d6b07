"""Typed errors, one base per stage. Messages never carry a raw detected value."""


class PiiAuditError(Exception):
    """Base of every error the tool raises on purpose."""


class UsageError(PiiAuditError):
    """Bad options or configuration: exit code 2."""


class SourceError(PiiAuditError):
    """A root or file could not be listed or opened."""


class ExtractError(PiiAuditError):
    """A file could not be turned into text. Reported on the file, never fatal to a run."""

    status = "failed"


class UnsupportedFormat(ExtractError):
    """We have no reader for this content; the file is skipped, with the sniffed type as reason."""

    status = "skipped"


class EncryptedFile(ExtractError):
    """Password-protected or DRM content: skipped with reason `encrypted`."""

    status = "skipped"

    def __init__(self, detail: str = "encrypted") -> None:
        super().__init__(detail)


class CorruptFile(ExtractError):
    """Content claims a format but does not parse."""


class ArchiveBomb(ExtractError):
    """An archive built to exhaust the reader (overlapping entries, members multiplied by
    nesting): the whole top-level file is one failed entry with this reason, cut short."""


class DetectError(PiiAuditError):
    """The detector could not be built (missing model, bad pattern file)."""


class ReportError(PiiAuditError):
    """A report could not be written."""


class RemedyError(PiiAuditError):
    """A fix (quarantine, restore, protect, redact) could not be planned or applied: a bad
    manifest, a destination that cannot be used. One file that cannot be fixed is a skip with a
    reason in the plan, never this error."""
