"""Reading a saved JSON report (`scan --format json` or `scan --json FILE`) back into a report view."""

from __future__ import annotations

import json
from pathlib import Path

from pii_audit.i18n import DEFAULT
from pii_audit.report.view import NotAReport, ReportView, from_dict

MAX_BYTES = 2 * 1024 * 1024 * 1024  # a report is text about files, not the files; refuse absurd inputs


def load(path: str | Path, reveal: bool = False, lang: str = DEFAULT) -> ReportView:
    """Raises NotAReport with one line saying what is wrong (never echoing the content: it may hold PII)."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise NotAReport(f"{p}: larger than {MAX_BYTES // 2**30} GiB, not a report")
        raw = p.read_bytes()
    except OSError as exc:
        raise NotAReport(f"{p}: cannot read ({exc.strerror or type(exc).__name__})") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise NotAReport(f"{p}: not UTF-8 text, not a JSON report") from None
    except json.JSONDecodeError as exc:
        raise NotAReport(f"{p}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise NotAReport(f"{p}: JSON nested too deeply") from None
    try:
        return from_dict(data, reveal=reveal, lang=lang)
    except NotAReport as exc:
        raise NotAReport(f"{p}: not a pii-audit JSON report: {exc}") from None
