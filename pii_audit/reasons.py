"""Reasons as codes with parameters, and their words in a report's language.

`score.assess` says why a file scores as it does with `Reason(code, params)`; reports render them
with a `Translator` (English: the sentences reports have always printed). The JSON report keeps
both: `reasons` in words and `reason_codes` for machines, so a saved report re-renders in any
language (`pii-audit report --lang ko`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from pii_audit.i18n import N_, Translator
from pii_audit.i18n import terms as T
from pii_audit.model import Reason


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a singular/plural pair for extraction; `ngettext` picks the form where it is shown."""
    return singular, plural


COMPLETE = "identity_complete"  # n: people with name or ID + birth date + address
EXPOSED = "exposed"  # n: people with name, birth date or ID + address (not complete)
NO_ADDRESS = "personal_no_address"  # n: people with personal data but no address
UNIQUE_ID = "unique_id"  # entity_type, n: people with a unique identifier of that type
NK_HOMETOWN = "nk_hometown"  # n: records with a North Korean hometown
CONTEXT = "sensitive_context"  # category: defector, refugee, health, criminal…
ENCRYPTED = "encrypted"
NOT_ENCRYPTED = "not_encrypted"
ONLY = "only"  # entity_type: n for each type found (no person records)
DUTY_ENCRYPT = "duty_encrypt"  # articles: unique identifiers not encrypted
DUTY_SENSITIVE = "duty_sensitive"  # articles: sensitive information
AUDIENCE = "audience"  # audience (everyone, organisation, owner-only, unknown), readers, basis (reach.py)
STALE = "stale"  # years, since (a date): not modified for that long (reach.py)

COUNTED: dict[str, tuple[str, str]] = {
    COMPLETE: NP_(
        "{n} person with name or ID + birth date + address", "{n} people with name or ID + birth date + address"
    ),
    EXPOSED: NP_(
        "{n} person with name, birth date or ID + address", "{n} people with name, birth date or ID + address"
    ),
    NO_ADDRESS: NP_(
        "personal data of {n} person, no residential address", "personal data of {n} people, no residential address"
    ),
    NK_HOMETOWN: NP_("North Korean hometowns of {n} person", "North Korean hometowns of {n} people"),
}
UNIQUE_IDS: dict[str, tuple[str, str]] = {
    "KR_RRN": NP_("resident registration numbers of {n} person", "resident registration numbers of {n} people"),
    "KR_FRN": NP_("foreigner registration numbers of {n} person", "foreigner registration numbers of {n} people"),
    "KR_PASSPORT": NP_("passport numbers of {n} person", "passport numbers of {n} people"),
    "KR_DRIVER_LICENSE": NP_("driver licence numbers of {n} person", "driver licence numbers of {n} people"),
}
PLAIN = {
    ENCRYPTED: N_("encrypted"),
    NOT_ENCRYPTED: N_("not encrypted"),
}
DUTIES = {
    DUTY_ENCRYPT: N_("unique identifiers: must be stored encrypted ({articles})"),
    DUTY_SENSITIVE: N_("sensitive information: processing restricted ({articles})"),
}
ONLY_ITEM = N_("{n} {entity}")
ONLY_LIST = N_("only {items}")
LIST_SEPARATOR = N_(", ")
CODES = frozenset({*COUNTED, UNIQUE_ID, CONTEXT, *PLAIN, ONLY, *DUTIES, AUDIENCE, STALE})
# What stores say about who can read a file and why (source/posix.py, sftp.py, smb_access.py,
# s3_access.py), said in the report's language: phrases first, then single words. Names (hosts,
# groups, shares, buckets) stay as they are.
_W = r"(?P<where>[^;,]+?)(?=;|,|$)"
ACCESS_PHRASES: tuple[tuple[str, str], ...] = (
    (r"every account on (?P<host>[^;,]+?)(?=;|,|$)", N_("every account on {host}")),
    (r"mode (?P<mode>\d{4}) on " + _W, N_("mode {mode} on {where}")),
    (r"no DACL on " + _W, N_("no DACL on {where}")),
    (r"DACL on " + _W, N_("DACL on {where}")),
    (r"object ACL in " + _W, N_("object ACL in {where}")),
    (r"bucket policy of " + _W, N_("bucket policy of {where}")),
    (r"permissions not readable: (?P<detail>.+)", N_("permissions not readable: {detail}")),
    (r"AllUsers \(public\)", N_("AllUsers (public)")),
    (r"AuthenticatedUsers \(any AWS account\)", N_("AuthenticatedUsers (any AWS account)")),
    (r"anyone \(Principal \*\)", N_("anyone (Principal *)")),
    (r"Principal \* under a condition", N_("Principal * under a condition")),
    (r"folder (?P<path>.+?) \((?P<mode>\d{4})\)", N_("folder {path} ({mode})")),
)
ACCESS_WORDS = {
    "every local account": N_("every local account"),
    "group": N_("group"),
    "user": N_("user"),
    "mode": N_("mode"),
}
_ACCESS_WORD = re.compile(r"\b(every local account|group|user|mode)\b")


@functools.cache
def _phrases() -> re.Pattern[str]:
    def bare(pattern: str) -> str:  # the fields are read again from the matched phrase alone
        return re.sub(r"\(\?P<\w+>", "(?:", pattern)

    return re.compile("|".join(f"(?P<p{i}>{bare(pattern)})" for i, (pattern, _) in enumerate(ACCESS_PHRASES)))


def access_words(text: str, tr: Translator) -> str:
    """Who can read a file and why, as a store wrote it (`group staff`, `mode 0640`), in the report's language."""
    if tr.lang == "en" or not text:
        return text

    def phrase(match: re.Match[str]) -> str:
        index = int(next(k for k, v in match.groupdict().items() if v is not None)[1:])
        pattern, message = ACCESS_PHRASES[index]
        inner = re.fullmatch(pattern, match.group(0))
        fields = inner.groupdict() if inner else {}
        return tr.gettext(message).format(**fields)

    text = _phrases().sub(phrase, text)
    return _ACCESS_WORD.sub(lambda m: tr.gettext(ACCESS_WORDS[m.group(1)]), text)


def _audience(params: dict[str, int | str], tr: Translator) -> str:
    """`readable by every local account (mode 0644)`; in Korean `모든 사용자가 읽을 수 있음 (…)`."""
    audience = str(params.get("audience", "unknown"))
    basis = access_words(str(params.get("basis") or ""), tr)
    readers = access_words(str(params.get("readers") or ""), tr)
    if audience == "unknown":
        text = tr.gettext("who can read it is unknown")
    elif audience == "owner-only":
        text = tr.gettext("owner-only")
    elif audience == "everyone":
        text = tr.gettext("readable by {readers}").format(readers=readers or tr.gettext("everyone"))
        if tr.lang != "en":  # 모든 사용자가 읽을 수 있음 (모든 로컬 계정; 권한 0644)
            basis = tr.gettext(", ").join(x for x in (readers, basis) if x)
            text = tr.gettext("readable by everyone")
    else:
        text = tr.gettext("readable by {readers}").format(readers=readers or tr.gettext("a group"))
    return tr.gettext("{reason} ({basis})").format(reason=text, basis=basis) if basis else text


def reason(code: str, **params: int | str) -> Reason:
    return Reason(code, tuple(params.items()))


def render(r: Reason, tr: Translator) -> str:
    """A reason in words. An unknown code (a report from a newer version) shows as the code itself."""
    params = dict(r.params)
    if r.code in COUNTED or r.code == UNIQUE_ID:
        pair = COUNTED.get(r.code) or UNIQUE_IDS.get(str(params.get("entity_type")))
        n = int(params.get("n", 0))
        if pair is None:  # a unique identifier this version has no words for
            return f"{T.entity(tr, str(params.get('entity_type')))}: {tr.number(n)}"
        return tr.ngettext(*pair, n).format(n=tr.number(n))
    if r.code == CONTEXT:
        return T.context(tr, str(params.get("category")))
    if r.code in PLAIN:
        return tr.gettext(PLAIN[r.code])
    if r.code in DUTIES:
        return tr.gettext(DUTIES[r.code]).format(articles=params.get("articles", ""))
    if r.code == AUDIENCE:
        return _audience(params, tr)
    if r.code == STALE:
        return tr.gettext("not modified for {years} years (since {since}): archive or delete").format(
            years=tr.number(int(params.get("years", 0))), since=params.get("since", "")
        )
    if r.code == ONLY:
        item = tr.gettext(ONLY_ITEM)
        items = tr.gettext(LIST_SEPARATOR).join(
            item.format(n=tr.number(int(n)), entity=T.entity(tr, t)) for t, n in r.params
        )
        return tr.gettext(ONLY_LIST).format(items=items)
    return r.code


def render_all(reasons: Iterable[Reason], tr: Translator) -> tuple[str, ...]:
    return tuple(render(r, tr) for r in reasons)


def from_dict(data: object) -> Reason | None:
    """A reason from the JSON report's `reason_codes`; None when the entry does not fit."""
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        return None
    params = data.get("params") or {}
    if not isinstance(params, dict):
        return None
    kept = tuple(
        (str(k), v) for k, v in params.items() if isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool))
    )
    return Reason(data["code"], kept)
