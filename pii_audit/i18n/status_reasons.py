"""Why a file was skipped or failed, in the report's language.

Sources and extractors say it in English as `category: detail` (`encrypted: password-protected
zip`, `cannot read: Permission denied`, `limit: more than 10000 parts`). The known forms below are
said in the report's language; a detail from the operating system or a library (`Permission
denied`) stays as it came, and a reason this table does not know is shown as it is.
"""

from __future__ import annotations

import functools
import re

from pii_audit.i18n import N_, Translator

# (pattern over the whole reason, msgid with the pattern's groups as fields)
FORMS: tuple[tuple[str, str], ...] = (
    (r"encrypted: password-protected (?P<what>.+)", N_("encrypted: password-protected {what}")),
    (r"encrypted: DRM-protected (?P<what>.+)", N_("encrypted: DRM-protected {what}")),
    (r"encrypted", N_("encrypted")),
    (r"encrypted: (?P<detail>.+)", N_("encrypted: {detail}")),
    (r"unsupported format: (?P<kind>.+)", N_("unsupported format: {kind}")),
    (r"cannot read: (?P<detail>.+)", N_("cannot read: {detail}")),
    (r"cannot stat: (?P<detail>.+)", N_("cannot stat: {detail}")),
    (r"directory not readable: (?P<detail>.+)", N_("directory not readable: {detail}")),
    (r"internal error: (?P<detail>.+)", N_("internal error: {detail}")),
    (r"not a regular file \((?P<kind>[^;]+); never opened\)", N_("not a regular file ({kind}; never opened)")),
    (r"symbolic link out of the scanned root \(not followed\)",
     N_("symbolic link out of the scanned root (not followed)")),
    (r"symbolic link loop \(not followed\)", N_("symbolic link loop (not followed)")),
    (r"larger than the size limit \((?P<n>\d+) bytes\)", N_("larger than the size limit ({n} bytes)")),
    (r"timed out after (?P<s>[\d.]+) s", N_("timed out after {s} s")),
    (r"limit: more than (?P<n>\d+) parts", N_("limit: more than {n} parts")),
    (r"limit: inflates to more than (?P<n>\d+) bytes \(zip bomb\?\)",
     N_("limit: inflates to more than {n} bytes (zip bomb?)")),
    (r"limit: a part inflates more than (?P<n>[\d.]+) times \(zip bomb\?\)",
     N_("limit: a part inflates more than {n} times (zip bomb?)")),
    (r"corrupt file", N_("corrupt file")),
    (r"not scanned: the run was interrupted", N_("not scanned: the run was interrupted")),
    (r"failed: the worker process scanning this file crashed",
         N_("failed: the worker process scanning this file crashed")),
)  # fmt: skip


@functools.cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), message) for pattern, message in FORMS)


def say(reason: str | None, tr: Translator) -> str:
    """A skip or failure reason in the report's language ("" for none)."""
    if not reason:
        return ""
    if tr.lang == "en":
        return reason
    for pattern, message in _compiled():
        match = pattern.fullmatch(reason)
        if match:
            return tr.gettext(message).format(**match.groupdict())
    return reason
