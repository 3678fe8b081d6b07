"""The words reports put on machine names: severities, statuses, entity types, legal categories and
sensitive contexts. The machine names stay in JSON, CSV cells and SARIF properties; people read these.
English shows the machine names themselves (`critical`, `PERSON`), as reports always have."""

from __future__ import annotations

from pii_audit.i18n import N_, Translator

SEVERITIES = {
    "critical": N_("critical"),
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
    "none": N_("none"),
}
STATUSES = {"scanned": N_("scanned"), "skipped": N_("skipped"), "failed": N_("failed")}
ENTITIES = {
    "PERSON": N_("PERSON"),
    "DATE_OF_BIRTH": N_("DATE_OF_BIRTH"),
    "ADDRESS": N_("ADDRESS"),
    "KR_RRN": N_("KR_RRN"),
    "KR_FRN": N_("KR_FRN"),
    "KR_PASSPORT": N_("KR_PASSPORT"),
    "KR_DRIVER_LICENSE": N_("KR_DRIVER_LICENSE"),
    "KR_BRN": N_("KR_BRN"),
    "PHONE_NUMBER": N_("PHONE_NUMBER"),
    "EMAIL_ADDRESS": N_("EMAIL_ADDRESS"),
    "CREDIT_CARD": N_("CREDIT_CARD"),
    "NK_HOMETOWN": N_("NK_HOMETOWN"),
}
LEGAL_CATEGORIES = {
    "unique_identifier": N_("unique identifier"),
    "sensitive": N_("sensitive"),
    "personal": N_("personal"),
}
AUDIENCES = {
    "everyone": N_("everyone"),
    "organisation": N_("organisation"),
    "owner-only": N_("owner-only"),
    "unknown": N_("unknown"),
}
CONTEXTS = {
    "defector": N_("defector context"),
    "refugee": N_("refugee context"),
    "health": N_("health context"),
    "criminal": N_("criminal-record context"),
}


def _word(table: dict[str, str], tr: Translator, name: str) -> str:
    message = table.get(name)
    return tr.gettext(message) if message is not None else name


def severity(tr: Translator, name: str) -> str:
    return _word(SEVERITIES, tr, name)


def status(tr: Translator, name: str) -> str:
    return _word(STATUSES, tr, name)


def entity(tr: Translator, name: str) -> str:
    return _word(ENTITIES, tr, name)


def legal_category(tr: Translator, name: str) -> str:
    return _word(LEGAL_CATEGORIES, tr, name)


def context(tr: Translator, name: str) -> str:
    return _word(CONTEXTS, tr, name)


def audience(tr: Translator, name: str) -> str:
    return _word(AUDIENCES, tr, name)
