"""The report catalogs: extract the msgids from the sources, update the `.po` files, compile `.mo`.

    python scripts/i18n.py update    # new msgids into every .po (untranslated), stale ones dropped
    python scripts/i18n.py compile   # .po -> .mo (the .mo files ship in the package)
    python scripts/i18n.py check     # exit 1 unless every .po is complete and current, and its .mo too

English is the source language (the msgids), so there is no English catalog. Translators edit
`pii_audit/i18n/locale/<lang>/LC_MESSAGES/pii_audit.po`, then run `update` and `compile`.
Needs Babel (a dev dependency); the package itself reads the `.mo` files with the standard library.
"""

from __future__ import annotations

import io
import re
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pii_audit"
LOCALE = PACKAGE / "i18n" / "locale"
DOMAIN = "pii_audit"
KEYWORDS = {"gettext": None, "_": None, "N_": None, "ngettext": (1, 2), "NP_": (1, 2)}
LANGS = ("ko",)
HEADER = "pii-audit report text"


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def template() -> Catalog:
    """Every msgid the sources mark, with where it comes from."""
    catalog = Catalog(project="pii-audit", domain=DOMAIN, header_comment=f"# {HEADER}")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(message, None, [(f"pii_audit/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def read(lang: str) -> Catalog:
    with open(po_path(lang), "rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def write(lang: str, catalog: Catalog) -> None:
    buf = io.BytesIO()
    catalog.fuzzy = False
    write_po(buf, catalog, width=100, sort_output=True, include_previous=False, include_lineno=False)
    po_path(lang).write_bytes(buf.getvalue())


def compiled(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def update() -> None:
    tpl = template()
    for lang in LANGS:
        path = po_path(lang)
        if path.exists():
            catalog = read(lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, project="pii-audit", domain=DOMAIN)
        tpl.creation_date = catalog.creation_date  # the header changes only when translators change it
        catalog.update(tpl, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()  # stale msgids go: git keeps their history
        write(lang, catalog)


def compile_all() -> None:
    for lang in LANGS:
        mo_path(lang).write_bytes(compiled(read(lang)))


_FIELD = re.compile(r"\{[^{}]*\}")


def fields(text: str) -> set[str]:
    """The replacement fields of a str.format template, by name (`{n:,}` -> `n`)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, list | tuple) else (message.id,)


def problems(lang: str) -> list[str]:
    """What is wrong with a catalog: msgids missing or stale against the sources, untranslated or
    fuzzy entries, placeholders that differ from the msgid's, a .mo that is not the compiled .po."""
    out = []
    tpl = template()
    catalog = read(lang)
    wanted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in tpl if m.id}
    have = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}
    for mid in sorted(map(str, wanted - have)):
        out.append(f"{lang}: not in the catalog: {mid}")
    for mid in sorted(map(str, have - wanted)):
        out.append(f"{lang}: stale (no longer in the sources): {mid}")
    for m in catalog:
        if not m.id:
            continue
        strings = tuple(m.string) if isinstance(m.string, list | tuple) else (m.string,)
        if not all(strings) or m.fuzzy:
            out.append(f"{lang}: untranslated or fuzzy: {_ids(m)[0]}")
            continue
        expected = set().union(*(fields(i) for i in _ids(m)))
        for s in strings:
            if fields(s) != expected:
                out.append(f"{lang}: placeholders {sorted(fields(s))} != {sorted(expected)} in: {_ids(m)[0]}")
    if not mo_path(lang).exists() or mo_path(lang).read_bytes() != compiled(catalog):
        out.append(f"{lang}: {mo_path(lang).relative_to(ROOT)} is not the compiled .po (run: compile)")
    return out


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = [p for lang in LANGS for p in problems(lang)]
        print("\n".join(found) or "catalogs complete and compiled")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
