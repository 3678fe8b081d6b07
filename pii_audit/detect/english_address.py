"""ADDRESS in English: street addresses (US, UK, Canada, Australia, and continental addresses written
in English), PO boxes and US military mail.

Formats (references: USPS Publication 28 for street suffixes, unit designators and state codes;
Royal Mail's postcode format; Canada Post's; the Universal Postal Union's address formats):

* Number first: ``221B Baker Street, London NW1 6XE``, ``1600 Pennsylvania Ave NW, Washington, DC
  20500``, ``Apt 4B, 55 Elm St., Springfield, IL 62704``, ``4821 Maple Grove Suite 212, Lakeview, OR
  97630``. A common suffix (Street, Ave, Road, Lane, …) makes an address on its own; a rarer USPS
  suffix that is also an everyday word (Grove, Park, Point, Valley, …) needs a unit, a town, a postcode
  or an address cue beside it.
* Street type first: ``1221 Avenue of the Americas``, ``350 Route 9``, ``12 rue de la Paix, 75002
  Paris``, ``Via Roma 15, Milano``.
* Continental, number after the street: ``Hauptstraße 5, 10115 Berlin``, ``Aleksanterinkatu 12 Apt.
  33, Helsinki``, ``Kungsgatan 44, Stockholm``: a street word with its suffix (straße, gatan, katu,
  straat, …) or prefix (Rue, Calle, Via, …) and a house number.
* ``P.O. Box 1234, Springfield, IL 62704``; ``PSC 1234, Box 5678, APO AE 09012``.
* The town, region, postcode and country that follow, on the same line after commas or on the next
  line (``55 Elm St.\\nSpringfield, IL 62704``), are part of the span.

Not addresses: a town or a postcode alone, a road name without a number, ``Top 5 Tips for Spring``
(function words never make a street name), numbers followed by an everyday word with nothing else.
All repetitions are bounded and every search runs under the ``regex`` module's timeout.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_audit.detect.shared import LastText

logger = logging.getLogger(__name__)

ENTITY = "ADDRESS"

# USPS Publication 28, appendix C1, and the British and Irish equivalents: types people use so often
# for streets that a number and a name before them make an address.
_CORE_TYPES = (
    "Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter"
    "|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Crescent|Cres|Close|Row|Trail|Trl|Alley|Aly|Mews"
    "|Gardens|Gdns|Plaza|Plz|Turnpike|Tpke|Expressway|Expy|Freeway|Fwy|Boulevarde|Esplanade|Embankment"
    "|Parade|Pde|Wynd|Causeway|Cswy|Stravenue|Stra"
)
# The rest of Publication 28's suffixes: everyday words too, so they need more evidence.
_OTHER_TYPES = (
    "Annex|Arcade|Bayou|Beach|Bend|Bluffs?|Bottom|Branch|Bridge|Brooks?|Burgs?|Bypass|Camp|Canyon|Cape"
    "|Centers?|Centre|Cliffs?|Club|Commons?|Corners?|Course|Courts|Coves?|Creek|Crest|Crossing|Crossroads?"
    "|Curve|Dale|Dam|Divide|Drives|Estates?|Extensions?|Falls?|Ferry|Fields?|Flats?|Fords?|Forest|Forges?"
    "|Forks?|Fort|Garden|Gateway|Glens?|Greens?|Grove|Groves|Harbou?rs?|Haven|Heights|Hills?|Hollow|Inlet"
    "|Islands?|Isle|Junctions?|Keys?|Knolls?|Lakes?|Land|Landing|Light|Lights|Loaf|Locks?|Lodge|Loop|Mall"
    "|Manors?|Meadows?|Mill|Mills|Mission|Motorway|Mount|Mountains?|Neck|Orchard|Oval|Overpass|Parks?"
    "|Pass|Passage|Path|Pike|Pines?|Plains?|Points?|Ports?|Prairie|Quay|Radial|Ramp|Ranch|Rapids?|Rest"
    "|Ridges?|Rise|River|Roads|Route|Rue|Run|Shoals?|Shores?|Skyway|Springs?|Spurs?|Squares|Station"
    "|Streets|Stream|Summit|Throughway|Trace|Track|Trafficway|Trailer|Tunnel|Underpass|Unions?|Vale"
    "|Valleys?|Viaduct|Views?|Villages?|Ville|Vista|Walk|Walks|Wall|Ways|Wells?|Wharf|Yard|Circles|Parkways|Trails"
)
# A word that is a street type (`Lane`, `Grove`): the English name recognizer's NER guesses ending so are not names.
STREET_TYPE = regex.compile(rf"(?:{_CORE_TYPES}|{_OTHER_TYPES})\.?")
_DIRECTION = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West|Northeast|Northwest|Southeast|Southwest)\.?"
_UNIT = (
    r"(?:Apt|Apartment|Suite|Ste|Unit|Room|Rm|Flat|Floor|Fl|Bldg|Building|Dept|Lot|Space|Spc|Trlr|PMB|Daire|No)"
    r"\.?[ ]?#?"
    r"[A-Za-z0-9][A-Za-z0-9\-]{0,7}(?![\w-])|#[ ]?[A-Za-z0-9][A-Za-z0-9\-]{0,7}(?![\w-])"
)
_NUMBER = r"\d{1,6}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"
# A word of a street name: capitalised (any Latin script), an ordinal (5th), or an initial.
_NAME_WORD = r"(?:\p{Lu}[\p{L}'’\-]{0,24}\.?|\d{1,3}(?:st|nd|rd|th)|\p{Lu}\.)"
_CONNECTOR = r"(?:of|the|de|la|le|du|des|del|della|di|da|do|dos|van|von|der|den|y|al|el)"
# Function words that never start or make up a street name ("Top 5 Tips For Spring").
_NOT_STREET_WORDS = frozenset(
    [
        "A",
        "An",
        "And",
        "At",
        "By",
        "For",
        "From",
        "In",
        "Into",
        "Is",
        "It",
        "Of",
        "On",
        "Or",
        "Our",
        "The",
        "This",
        "That",
        "To",
        "Up",
        "With",
        "Your",
        "You",
        "We",
        "Are",
        "Was",
        "Tips",
        "Ways",
        "Steps",
        "Things",
        "Reasons",
        "Days",
        "Years",
        "Months",
        "Weeks",
        "Hours",
        "Minutes",
        "Times",
        "Items",
        "Files",
        "Points",
    ]
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY"
    "|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|AS|GU|MP|PR|VI|AA|AE|AP"
    # Canadian provinces and Australian states, written the same way.
    "|AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|NSW|VIC|QLD|WA|SA|TAS|ACT"
)
_POSTCODE = (
    r"(?:\d{5}(?:-\d{4})?"  # US ZIP, ZIP+4, and most of Europe
    r"|[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}"  # UK
    r"|[A-Z]\d[A-Z][ ]?\d[A-Z]\d"  # Canada
    r"|\d{3}[ ]\d{2}|\d{4}|\d{6})"  # Sweden, Australia/Denmark/…, India/Russia/…
)
_PLACE = (
    r"\p{Lu}[\p{Ll}'’][\p{L}'’\-]{0,24}(?:[ ](?:\p{Lu}[\p{L}'’\-]{1,24}|upon|on|de|am|sur)){0,3}"
    r"(?:[ ]\d{1,2}(?![\d:.]))?"  # a postal district: Dublin 2, Paris 8
)
_REGION = rf"(?:{_STATES})(?:[ ]{_POSTCODE})?(?![\w])"
# What follows a street: town(s), region and postcode, country; on the same line after commas.
_TAIL = (
    rf"(?P<tail>(?:,?[ ](?:{_POSTCODE}[ ])?{_PLACE}(?![\w])){{0,3}}(?:,?[ ]{_REGION}|,?[ ]{_POSTCODE}(?![\w]))?"
    rf"(?:,?[ ]{_PLACE}(?:[ ]{_POSTCODE})?(?![\w]))?)"
)
_STREET_FIRST_WORDS = (
    *("Avenue", "Calle", "Carrer", "Rua", "Rue", "Via", "Viale", "Piazza", "Piazzale", "Corso", "Largo", "Plaza"),
    *("Paseo", "Camino", "Chemin", "Quai", "Allée", "Impasse", "Ulica", r"ul\.", "Praça", "Travessa", "Estrada"),
    *("Avenida", r"Avda\.", r"Av\.", "Jalan", r"Jl\.", "Route", "Highway", "Hwy", "County[ ]Road", "State[ ]Route"),
    *("Interstate", "Ruta", "Boulevard", "Bd", "Strada", "Straße", "Place"),
)
_STREET_FIRST_TYPES = "(?:" + "|".join(_STREET_FIRST_WORDS) + ")"
_SUFFIXED_STREET = (
    r"\p{Lu}\p{Ll}{1,25}(?:straße|strasse|str\.|gasse|weg|platz|allee|ring|damm|ufer|gatan|vägen|gränd|gade"
    r"|vej|veien|gata|katu|tie|kuja|laan|straat|gracht|plein|kade|utca|ulica|ucca|út|ovej|torget|torv)"
)

_NUMBER_FIRST = regex.compile(
    rf"(?<![\w-])(?:(?P<unit0>{_UNIT}),?[ ])?(?P<num>{_NUMBER})[ ](?:{_DIRECTION}[ ])?"
    rf"(?P<name>(?:{_NAME_WORD}[ ](?:{_CONNECTOR}[ ])?){{1,4}})"
    rf"(?:(?P<core>{_CORE_TYPES}|(?i:{_CORE_TYPES}))|(?P<other>{_OTHER_TYPES}))\.?(?![\p{{L}}\d])"
    rf"(?:[ ]{_DIRECTION}(?![\p{{L}}]))?"
    rf"(?:,?[ ](?P<unit>{_UNIT}))?{_TAIL}"
)
_BROADWAY = regex.compile(rf"(?<![\w-])(?P<num>{_NUMBER})[ ]Broadway(?![\w])(?:,?[ ](?P<unit>{_UNIT}))?{_TAIL}")
_TYPE_FIRST = regex.compile(
    rf"(?<![\w-])(?:(?P<num>{_NUMBER}),?[ ](?P<type>{_STREET_FIRST_TYPES}|(?i:{_STREET_FIRST_TYPES}))[ ]"
    rf"(?:{_CONNECTOR}[ ]){{0,3}}"
    rf"(?:{_NAME_WORD}|\d{{1,4}})(?:[ ](?:{_CONNECTOR}[ ]){{0,2}}{_NAME_WORD}){{0,3}}"
    rf"|(?P<type2>{_STREET_FIRST_TYPES})[ ](?:{_CONNECTOR}[ ]){{0,3}}{_NAME_WORD}(?:[ ](?:{_CONNECTOR}[ ]){{0,2}}"
    rf"{_NAME_WORD}){{0,3}}[ ](?P<num2>\d{{1,5}}[A-Za-z]?))"
    rf"(?![\w-])(?:,?[ ](?P<unit>{_UNIT}))?{_TAIL}"
)
_SUFFIXED = regex.compile(
    rf"(?<![\w-])(?:(?P<num0>{_NUMBER})[ ])?(?P<street>{_SUFFIXED_STREET}|\p{{Lu}}\p{{Ll}}{{2,25}}[ ](?:Straße|Strasse"
    rf"|Str\.|Weg|Allee|Platz|Gasse|Caddesi|Cad\.|Sokak|Sokağı|Sok\.|Bulvarı|Yolu))"
    rf"[ ](?P<num>\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?)(?![\w-])"
    rf"(?:,?[ ](?P<unit>{_UNIT}))?{_TAIL}"
)
_PO_BOX = regex.compile(
    rf"(?<![\w])(?i:P\.?[ ]?O\.?[ ]?Box|Post[ ]Office[ ]Box|G\.?P\.?O\.?[ ]Box|Locked[ ]Bag|Private[ ]Bag)"
    rf"[ ]\d{{1,6}}(?![\w-]){_TAIL}"
)
_MILITARY = regex.compile(
    rf"(?<![\w])(?:(?:Unit|PSC|CMR)[ ]\d{{4}},?[ ]Box[ ]\d{{4}}"
    rf"|(?:USNS|USNV|USS|USCGC)[ ]{_NAME_WORD}(?:[ ]{_NAME_WORD})?)"
    r"(?:,?[ ]|\n[ \t]*)(?:APO|FPO|DPO)[ ](?:AA|AE|AP)[ ]\d{5}(?!\d)"
)
# The town line of an address written over two lines: `Springfield, IL 62704`, `London NW1 6XE`.
_NEXT_LINE = regex.compile(
    rf"[ \t]*\n[ \t]*{_PLACE},?[ ]"
    rf"(?:{_REGION}|[A-Z]{{1,2}}\d[A-Z\d]?[ ]?\d[A-Z]{{2}}(?![\w])|\d{{5}}(?:-\d{{4}})?(?!\d))"
    rf"(?:,?[ ]{_PLACE}(?![\w]))?"
)
_CUE = regex.compile(
    r"(?:address|addr|residence|resides|residing|lives|living|located|moved|moving|relocated|ship(?:ped|ping)?"
    r"|deliver(?:ed|y)?|mail(?:ed|ing)?|send|sent|visit|home|house|apartment|stay(?:ing)?|at|to|from|in)"
    r"\W{0,3}$",
    regex.IGNORECASE,
)
_ORG_BEFORE = regex.compile(
    r"(?:headquarters|head[ ]office|HQ|offices?|campus|store|branch|venue|factory|warehouse)"
    r"(?:[ ]address)?\s*(?:is|are|at|:|-)?\s*(?:located[ ]at|at)?\s*$",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    score: float


_FOUND: LastText[tuple[tuple[int, int, float], ...]] = LastText()


_COMMA_WORD = regex.compile(r",[ ]\S")


def addresses_in(text: str, timeout: float = 2.0) -> tuple[tuple[int, int, float], ...]:
    """`find_addresses`, computed once per text: the address recognizer and the English name
    recognizer (which never reports a name inside an address) both ask."""
    return _FOUND.get(timeout, text, lambda: tuple(find_addresses(text, timeout)))


def find_addresses(text: str, timeout: float = 2.0) -> list[tuple[int, int, float]]:
    """(start, end, score) of each English-style address in `text`; overlaps resolved to the longest."""
    if not _ANCHOR.search(text):
        return []
    found: list[_Found] = []
    try:
        for m in _on_lines(_NUMBER_FIRST, _NUMBER_FIRST_HINT, text, timeout):
            words = m["name"].split()
            if words[0] in _NOT_STREET_WORDS or any(w in _NOT_STREET_WORDS for w in words):
                continue
            strong = bool(m["unit0"] or m["unit"] or m["tail"])
            if m["core"]:
                score = 0.85 if strong else 0.7
            elif strong:
                score = 0.8
            elif _cue(text, m.start()):
                score = 0.6
            else:
                continue
            found.append(_finish(text, m.start(), m.end(), score))
        for matches, base in (
            (_BROADWAY.finditer(text, timeout=timeout), 0.7),
            (_type_first(text, timeout), 0.6),
            (_on_lines(_SUFFIXED, _SUFFIXED_HINT, text, timeout), 0.7),
        ):
            for m in matches:
                strong = bool(m["unit"] or m["tail"])
                score = base + (0.15 if strong else 0.0)
                if score < 0.7 and not _cue(text, m.start()):
                    continue
                found.append(_finish(text, m.start(), m.end(), score))
        for m in _PO_BOX.finditer(text, timeout=timeout):
            found.append(_finish(text, m.start(), m.end(), 0.85 if m["tail"] else 0.7))
        for m in _MILITARY.finditer(text, timeout=timeout):
            found.append(_Found(m.start(), m.end(), 0.85))
    except TimeoutError:
        logger.warning("English address pattern timed out on a %d-character segment", len(text))
    return [(f.start, f.end, f.score) for f in _longest(found)]


# Every address above holds a digit next to a capitalised word (or a PO box / military word):
# `\d[A-Za-z]?,?[ ]\p{L}` or `\p{L}\.?[ ]\d`, written to start at the space so that the engine
# skips to spaces instead of trying both at every character (a quarter of the time; only whether
# one exists is read).
_ANCHOR = regex.compile(r"[ ](?:(?<=\d[A-Za-z]?,?[ ])\p{L}|(?<=\p{L}\.?[ ])\d)")


# Within one line, what every match of a pattern holds (`re` patterns: a tenth of the cost of the
# `regex` scan they spare). A match of `_NUMBER_FIRST` has its number, a space and then a capital
# (of a direction or a street name) or a digit (`5th`); one of `_SUFFIXED` has its street, ending in
# a lower-case letter or a full stop, a space and its number. The classes take in more than that
# (any letter not an ASCII capital or Hangul; anything but ASCII lower case, Hangul, spaces and
# punctuation): only lines without a hint are skipped.
_NUMBER_FIRST_HINT = re.compile(r"\d[A-Za-z]?[ ][^a-z\s.,;:!?()\"'\-\uac00-\ud7a3]")
_SUFFIXED_HINT = re.compile(r"(?:[^\W\d_A-Z\uac00-\ud7a3]|\.)[ ]\d")
# One of `_TYPE_FIRST` has its street type, in any case, and a space after it: sought in the text
# lower-cased (`re`'s IGNORECASE scan cost more than the `regex` scan it would spare). `str.lower`
# maps every character that `regex`'s simple case folding matches to a letter of these words onto
# that letter (`K` to `k`, `ẞ` to `ß`), but for `ſ`, which is lower case already and folds to `s`.
# The leading lookahead of the words' first letters lets `re` skip the other characters (a third of
# the time of trying every word at every character).
_TYPE_FIRST_HINT = re.compile(
    "(?=[" + "".join(sorted({w[0].lower() for w in _STREET_FIRST_WORDS} | {"ſ"})) + "])"
    "(?:" + "|".join(w.lower().replace("s", "[sſ]") for w in _STREET_FIRST_WORDS) + ")[ ]"
)


def _type_first(text: str, timeout: float) -> Iterator[regex.Match[str]]:
    """`_TYPE_FIRST.finditer(text)`, on the lines whose lower-cased text holds `_TYPE_FIRST_HINT`
    (all of them, should lower-casing change the text's length and so its offsets)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return _TYPE_FIRST.finditer(text, timeout=timeout)
    return _on_lines(_TYPE_FIRST, _TYPE_FIRST_HINT, text, timeout, lowered)


def _on_lines(
    pattern: regex.Pattern[str], hint: re.Pattern[str], text: str, timeout: float, hinted: str | None = None
) -> Iterator[regex.Match[str]]:
    """`pattern.finditer(text)` for a pattern whose matches lie within a line and hold a match of
    `hint` (in `hinted`, a text of the same length and line breaks, if given): run on the lines
    holding one only. Each window starts and ends at a line break, so the pattern's lookbehinds see
    the same characters, and its negative lookaheads (none of which matches a line break) the same
    answer, as in the whole text."""
    end = 0
    for h in hint.finditer(text if hinted is None else hinted):
        if h.start() < end:
            continue  # on a line already scanned
        start = text.rfind("\n", 0, h.start()) + 1
        end = text.find("\n", h.end())
        end = len(text) if end < 0 else end
        yield from pattern.finditer(text, start, end, timeout=timeout)


def _cue(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_CUE.search(text, max(line_start, start - 30), start))


def _finish(text: str, start: int, end: int, score: float) -> _Found:
    """Strip trailing punctuation, take in the town line below, and demote a business's seat."""
    while end > start and text[end - 1] in ",;: ":
        end -= 1
    m = _NEXT_LINE.match(text, end)
    if m and not _COMMA_WORD.search(text[start:end]):
        end, score = m.end(), max(score, 0.85)
    line_start = text.rfind("\n", 0, start) + 1
    if _ORG_BEFORE.search(text, max(line_start, start - 40), start):
        score = min(score, 0.45)
    return _Found(start, end, min(score, 0.95))


def _longest(found: list[_Found]) -> list[_Found]:
    kept: list[_Found] = []
    for f in sorted(found, key=lambda f: (f.start - f.end, -f.score, f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


class EnglishAddressRecognizer(EntityRecognizer):
    """Street addresses written in English (see the module docstring). Needs no NLP artifacts."""

    name: str

    def __init__(self, supported_language: str = "en", timeout: float = 2.0) -> None:
        self._timeout = timeout
        super().__init__(
            supported_entities=[ENTITY],
            name="EnglishAddressRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str] | None, nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and ENTITY not in entities:
            return []
        return [
            RecognizerResult(
                entity_type=ENTITY,
                start=start,
                end=end,
                score=round(score, 2),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for start, end, score in addresses_in(text, self._timeout)
        ]
