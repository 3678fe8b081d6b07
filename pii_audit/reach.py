"""Who can read a file and how old it is, in the exposure model's words: the points, the reason and
what the owner should do about it.

Audience points (configurable in `[weights]`): `everyone` +10 (`world-readable`), `organisation`
+5 (`organisation-readable`), `owner-only` minus `owner-only-discount` (default 0), `unknown` 0: a store that
cannot tell neither raises nor lowers a score. Data not modified for `stale-years` (default 3) is
`stale`: +5 (`stale`), a reason, and the action "delete or archive".
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pii_audit.i18n import N_, Translator
from pii_audit.model import Access, Audience, Reason

if TYPE_CHECKING:
    from pii_audit.score import Weights

YEAR = 365.25 * 86400
AUDIENCE, STALE = "audience", "stale"  # reason codes (pii_audit/reasons.py)

# Actions are codes in JSON and CSV; ACTION_WORDS says them to people.
RESTRICT = "restrict-access"
MOVE = "move"  # the audience comes from the folder or bucket: restricting the file alone does not hold
ENCRYPT = "encrypt"
DELETE_OR_ARCHIVE = "delete-or-archive"
ACTIONS = (DELETE_OR_ARCHIVE, RESTRICT, MOVE, ENCRYPT)
ACTION_WORDS = {
    DELETE_OR_ARCHIVE: N_("delete or archive"),
    RESTRICT: N_("restrict access"),
    MOVE: N_("move to a restricted place"),
    ENCRYPT: N_("encrypt"),
}


def action_word(code: str, tr: Translator | None = None) -> str:
    words = ACTION_WORDS.get(code)
    if words is None:
        return code
    return tr.gettext(words) if tr is not None else words


def action_words(codes: tuple[str, ...] | list[str], tr: Translator | None = None) -> str:
    return "; ".join(action_word(c, tr) for c in codes)


def audience_points(access: Access, weights: Weights) -> float:
    if access.audience is Audience.EVERYONE:
        return weights.world_readable
    if access.audience is Audience.ORGANISATION:
        return weights.organisation_readable
    if access.audience is Audience.OWNER_ONLY:
        return -weights.owner_only_discount
    return 0.0


def audience_reason(access: Access) -> Reason:
    """Who can read the file, as a reason (pii_audit/reasons.py says it in words): `readable by every
    local account (mode 0644)`, `readable by Everyone (DACL on \\\\host\\share)`, `owner-only (mode
    0600)`, `who can read it is unknown`."""
    return Reason(
        AUDIENCE,
        (("audience", access.audience.value), ("readers", ", ".join(access.readers)), ("basis", access.basis or "")),
    )


def stale_years(mtime: float | None, now: float, weights: Weights) -> float | None:
    """Whole years since the last modification when that is at least the stale threshold, else None."""
    if mtime is None or weights.stale_years <= 0:
        return None
    age = (now - mtime) / YEAR
    return age if age >= weights.stale_years else None


def stale_reason(mtime: float, age: float) -> Reason:
    """`not modified for 4 years (since 2021-03-01): archive or delete`, as a reason."""
    day = dt.datetime.fromtimestamp(mtime, dt.UTC).date().isoformat()
    return Reason(STALE, (("years", int(age)), ("since", day)))


def actions(access: Access, stale: bool, encrypted: bool) -> tuple[str, ...]:
    """What to do with a file that exposes people, most lasting fix first."""
    todo = []
    if stale:
        todo.append(DELETE_OR_ARCHIVE)
    if access.audience in (Audience.EVERYONE, Audience.ORGANISATION):
        todo.append(MOVE if access.inherited else RESTRICT)
    if not encrypted:
        todo.append(ENCRYPT)
    return tuple(todo)
