"""PERSON in English text: names with nothing else beside them, from any culture.

Evidence, strongest first:
- a known given name and a known surname (`Ines Duarte`, `Zsófia Halász`, `Ruslan B. Akhmetov`),
  or either one beside other capitalised words (`Haruto Sakamoto`, `Odalys Ferrán`); the word list
  is patterns/wordlists/english_names.yaml, matched without case or accents;
- a title (`Dr. Anselm Kettering`, `Dear Ms. Carter`), a cue that a name follows or precedes
  (`my name is Odalys`, `Thanks, Kwame`, `cc Martin Hale`, `Priya said`), a chat speaker
  (`[10:42] Tomasz: …`), a sign-off line under `Best regards,`, a label (`From:`, `Owner:`);
- spaCy's English NER tagging two or more capitalised words as PERSON (lower score).

What is not a name: words in the list's `not_name` (months, days, greetings, log and organisation
words), a candidate followed by an organisation or street word (`Carter Center`, `Baker Street`,
`Smith & Wesson`), a name-shaped word after `in`/`at`/`to` (places: `in Sofia`), anything inside an
address, e-mail or URL, a lone surname (`Mr. Kim`, `Johnson said`) unless a title and a salutation
address the person (`Dear Ms. Carter`), words in `ambiguous` (`May`, `Grace`, `Jenkins`, `Georgia`)
without another name part or a cue, and Title-Case headings unless both parts are known.

A name is personal data on its own: results are reported whatever else the text holds (not `weak`),
except a NER-only guess outside a sentence, after `in`/`from`/`at`, or holding an ordinary word, a
place or a street type, which is kept only beside other personal data (engine._supported).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_audit.detect.english_address import STREET_TYPE as _STREET_TYPE
from pii_audit.detect.english_address import addresses_in
from pii_audit.detect.korean.gazetteer import trie_pattern
from pii_audit.detect.prefilter import _LETTER, _UPPER, LATIN_NAME
from pii_audit.detect.shared import RecentTexts
from pii_audit.resources import WORDLISTS, read_yaml

WORDLIST = WORDLISTS / "english_names.yaml"
KOREAN_SURNAMES = WORDLISTS / "romanized_surnames.yaml"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Compiled once: the module-level `regex.search(pattern, …)` looks its pattern up in a cache on
# every call, which cost more than the matching on prose.
_NON_SPACE = regex.compile(r"\S+")
_NOT_HEADING = regex.compile(r"[,;:()\[\]/@<>\d]|[.!?]$")
_LETTERS = regex.compile(r"\p{L}+")
_PROSE_BEFORE = regex.compile(r"(?<!\p{L})\p{Ll}{2,},?[ ]+$")
_PROSE_AFTER = regex.compile(r",?[ ]+\p{Ll}{2,}(?!\p{L}*[:=])")
_WORD = r"\p{Lu}[\p{L}'’\-]{0,30}"
_INITIAL = r"\p{Lu}\."
_PARTICLE = r"(?:van|von|de|da|del|della|der|den|di|du|la|le|bin|binti|ibn|bint|dos|das|ten|ter|y)"
# A run of capitalised words (with initials and name particles inside), never part of a longer
# token, an e-mail, a handle, a path or a dotted identifier.
_RUN = regex.compile(
    rf"(?<![\p{{L}}\d@#/_.\-])(?:{_INITIAL}(?=[ ]\p{{Lu}})|{_WORD})"
    rf"(?:[ ](?:{_PARTICLE}[ ]){{0,2}}(?:{_INITIAL}(?=[ ]\p{{Lu}})|{_WORD})){{0,5}}(?![\p{{L}}\d@_/\-])"
)
# Capitalised because they start a sentence, never names.
_FUNCTION = _words(
    "a an and but or nor if when while this that these those our my your his her their its we they he she it i"
    " you please also then so as at in on for with by from of to after before during since until per via let"
    " can could would should did does is are was were has have had here there where what who why how which all"
    " any some each every both many most more just only even still yet now not no yes once maybe hello hi hey"
    " dear thanks thank regards best cheers sincerely yours kind warm re fwd fw attn cc bcc i'm i'd i'll i've"
    " we're we'll it's let's that's there's here's ask tell call email contact send invite meet see welcome"
    " congratulate remind ping loop message text notify inform forward cc'd thanks,"
)
# Words a Title-Case heading leaves in lower case.
_HEADING_SMALL = _words("a an and as at but by for from in into of on or per the to via vs with")  # noqa: SIM905
# Before a single capitalised word, these say a name follows.
_CUE_STRONG = regex.compile(
    r"(?:\bmy\s+name\s+is|\bname\s+is|\bnamed|\bcalled|\bcall\s+me|\bi\s+am|\bi['’]m|\bthis\s+is|\bdear|\bhi|\bhello"
    r"|\bhey|\bthanks|\bthank\s+you|\bcheers|\bcc|\battn|\battention|\bsigned|\bregards|\bsincerely|\bask|\btell"
    r"|\bspoke\s+(?:to|with)|\bmet\s+with)\W{0,3}$",
    regex.IGNORECASE,
)
_CUE_WEAK = regex.compile(
    r"(?:\bwith|\bby|\band|\bfor|\bfrom|\btold|\basked|\bsaw|\bvisited|\bhelped|\bthank|\binvite[ds]?|\bwelcome"
    r"|\bsee|\bmeet|\bmet|\bjoin(?:ed)?|\bremind|\bsend|\bsent|\bgive|\bgave|\bforward|\bloop\s+in|\bemailed"
    r"|\bmessaged|\bpinged|\bcontact|\bcalled"
    r"|\bcolleague|\bmanager|\bsupervisor|\bpatient|\bclient|\btenant|\bstudent|\bemployee|\bcustomer|\bapplicant"
    r"|\bcandidate|\bwife|\bhusband|\bson|\bdaughter|\bmother|\bfather|\bmom|\bdad|\bbrother|\bsister|\bfriend"
    r"|\bpartner|\buncle|\baunt|\bcousin|\bnurse|\bdoctor|\bteacher|\bcoach|\buser|\bowner|\bagent|\bcaller)\W{0,3}$",
    regex.IGNORECASE,
)
_CUE_AFTER = regex.compile(
    r"(?:[ ]+(?:said|says|wrote|writes|asked|told|replied|called|emailed|texted|mentioned|confirmed|agreed|added"
    r"|explained|noted|reported|joined|left|signed|presented|will|would|has|had|is|was|and\s+I|who|from|booked"
    r"|sent|shared|approved|requested|submitted|works|worked|lives|lived|moved|visited|needs|wants|thinks)\b"
    r"|['’]s\b|,\s*(?:who|our|my|the|a|an|aged?|born)\b|\s*\((?:age|aged|born|b\.|\d{1,3}\b))",
    regex.IGNORECASE,
)
_PLACE_BEFORE = regex.compile(
    r"\b(?:in|at|to|from|near|via|of|into|across|around|outside|inside)\s+$", regex.IGNORECASE
)
_SALUTATION = regex.compile(r"\b(?:dear|hi|hello|hey|attn|attention|good\s+morning|good\s+afternoon)\W{0,3}$", regex.I)
_CLOSING = regex.compile(
    r"^\s*(?:(?:best|kind|warm|warmest)?\s*regards|best(?:\s+wishes)?|thanks(?:\s+again)?|thank\s+you|cheers"
    r"|sincerely|yours(?:\s+(?:sincerely|truly|faithfully))?|respectfully|cordially|warmly|love|take\s+care"
    r"|signed|--|—)\s*[,.!]?\s*$",
    regex.IGNORECASE,
)
_SPEAKER = regex.compile(
    r"^\s*(?:\[[^\]\n]{1,30}\]\s*)*(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s*)?"
    r"(?:\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?\s*[-–,]?\s*)?(?:<|@)?$"
)
# What may stand between a chat speaker's name and the colon: `Jamal (Support):`.
_SPEAKER_AFTER = regex.compile(r"[ ]?(?:\([^()\n]{1,20}\))?:")
_LABEL = regex.compile(
    r"(?:^|[\s|;,(])(?:name|full\s+name|first\s+name|last\s+name|surname|from|to|cc|bcc|attn|author|owner|assignee"
    r"|reporter|signed(?:\s+by)?|sender|recipient|requester|requested\s+by|approver|approved\s+by|reviewer"
    r"|reviewed\s+by|manager|supervisor|tenant|landlord|witness|spouse|parent|guardian|father|mother|candidate"
    r"|emergency\s+contact|next\s+of\s+kin|customer|patient|client|employee|contact(?:\s+person)?|prepared\s+by"
    r"|submitted\s+by|created\s+by|assigned\s+to|on\s+behalf\s+of)\s*:\s*$",
    regex.IGNORECASE,
)
# After a candidate: an organisation, a street, a brand (`Smith & Wesson`, `Carter Center`).
_ORG_AFTER = regex.compile(r"^(?:\s*&\s*\p{Lu}|\s+(?:and|&)\s+(?:Sons|Co|Company|Partners|Associates)\b)")
# Honorifics, as opposed to roles (`Coach`, `Commissioner`): after one, a surname alone is a name
# only in a salutation.
_HONORIFICS = _words(
    "mr mrs ms miss mx dr prof professor sir madam dame lord lady herr frau monsieur madame mme mlle senor senora"
    " sra sr rev reverend fr"
)
# Names in capitals, as forms and CV headers write them: `HIROSHI TANAKA-LEWIS`, `Surname: OKONKWO`.
_ALL_CAPS = regex.compile(
    r"(?<![\p{L}\d@#/_.\-])\p{Lu}[\p{Lu}'’\-]{1,30}(?:[ ]\p{Lu}[\p{Lu}'’\-]{1,30}){0,2}(?![\p{L}\d@_/\-])"
)
_SURNAME_LABEL = regex.compile(r"(?:surname|last\s+name|family\s+name|name)\s*:\s*$", regex.IGNORECASE)


def _all_caps_score(text: str, m: regex.Match[str], lex: _Lexicon) -> float:
    """A known given name and a known surname in capitals (0.8), or a known surname in capitals
    after a surname label (0.75); a line in capitals is a heading, never evidence alone."""
    words = m.group().split()
    first, last = words[0], words[-1]
    if len(words) > 1:
        if _known(first, lex.given, lex) and (
            _known(last, lex.surnames, lex) or _known(last.split("-")[0], lex.surnames, lex)
        ):
            return 0.8
        return 0.0
    line_start = text.rfind("\n", 0, m.start()) + 1
    if _SURNAME_LABEL.search(text, max(line_start, m.start() - 30), m.start()) and _known(first, lex.surnames, lex):
        return 0.75
    return 0.0


_NEXT_WORD = regex.compile(r"[ ]+(\p{Lu}\p{L}+)")
_SURNAME_GIVEN = regex.compile(rf"(?<![\p{{L}}\d@#/_.\-])({_WORD}),[ ]({_WORD})(?![\p{{L}}\d@_/\-])")


@dataclass(frozen=True)
class _Lexicon:
    given: frozenset[str]
    surnames: frozenset[str]
    ambiguous: frozenset[str]
    titles: frozenset[str]
    not_name: frozenset[str]
    organisations: regex.Pattern[str]
    # Some organisation's name, in the text lower-cased, with no word boundaries: found wherever
    # `organisations` matches, so a text without one skips that scan (see `_organisations`).
    organisation_hint: re.Pattern[str]
    korean_surnames: frozenset[str]


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Case- and accent-free form of a word, without a possessive: `Zsófia's` -> `zsofia`.
    Cached: prose repeats its words, and the fold is the same every time."""
    word = word.removesuffix("'s").removesuffix("’s")
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("’", "'")


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    data = read_yaml(WORDLIST)
    korean = read_yaml(KOREAN_SURNAMES)["surnames"]

    def folded(key: str) -> frozenset[str]:
        return frozenset(fold(str(w)) for w in data[key])

    organisations = sorted({str(w).lower() for w in data["organisations"]})
    return _Lexicon(
        given=folded("given"),
        surnames=folded("surnames"),
        ambiguous=folded("ambiguous"),
        titles=folded("titles"),
        not_name=folded("not_name") | _FUNCTION,
        organisations=regex.compile(
            r"(?<![\p{L}])"
            + "(?:"
            + trie_pattern(sorted(map(str, data["organisations"]), key=len, reverse=True), any_space=False)
            + ")"
            + r"(?![\p{L}])",
            regex.IGNORECASE,
        ),
        organisation_hint=re.compile(
            f"(?=[{''.join(sorted({w[0] for w in organisations}))}])" + trie_pattern(organisations, any_space=False)
        ),
        korean_surnames=frozenset(fold(str(w)) for w in korean),
    )


def _organisations(text: str, lex: _Lexicon) -> list[tuple[int, int]]:
    """The spans of `lex.organisations` in `text`, scanned for only where the text lower-cased
    holds some organisation's name (`re` on lower-cased text: a third of the time of the case-folding
    `regex` scan it spares). `str.lower` maps every character that `regex`'s simple case folding
    matches to a letter of these names onto that letter, but for `ſ` (lower case already, folds to
    `s`): a text holding one is scanned."""
    if "ſ" not in text and not lex.organisation_hint.search(text.lower()):
        return []
    return [m.span() for m in lex.organisations.finditer(text, timeout=1.0)]


_INNER_CAPITAL = regex.compile(r"(?<!^(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|St|Fitz)|['’\-])\p{Lu}")


def _is_word(token: str) -> bool:
    """A name word: a lower-case letter, and capitals only at the start, after `-`/`'` or a name
    prefix (`McAllister`, `DeShawn`, `O'Neil`, `Al-Khatib`), not `HTTP`, `PagerDuty`, `GitHub`."""
    return any(c.islower() for c in token) and not _INNER_CAPITAL.search(token, 1)


def _known(parts: str, names: frozenset[str], lex: _Lexicon) -> bool:
    key = fold(parts)
    if key in lex.ambiguous:
        return False
    if key in names:
        return True
    pieces = [p for p in key.split("-") if p]
    return len(pieces) > 1 and all(p in names and p not in lex.ambiguous for p in pieces)


class _Token:
    """A word of a capitalised run: its text, offsets, and whether it is an initial (`J.`) or a
    lower-case name particle (`van`). Slotted, not a dataclass: prose makes hundreds of thousands."""

    __slots__ = ("end", "initial", "particle", "start", "text")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.start = start
        self.end = start + len(text)
        self.initial = _initial(text)
        self.particle = text[0].islower()


def _initial(token: str) -> bool:
    return len(token) == 2 and token[1] == "."


@lru_cache(maxsize=65536)
def _splits_run(token: str) -> bool:
    """A word that is never part of a name (a function word, a title, `HTTP`): it splits a run.
    Cached like `fold`: prose repeats its capitalised words."""
    lex = lexicon()
    word = token.rstrip(".")
    key = fold(word)
    return key in lex.not_name or key in lex.titles or not _is_word(word)


def _tokens(run: regex.Match[str]) -> list[_Token]:
    """The words of a run (`_RUN` puts single spaces between them, and no other white space)."""
    out = []
    start = run.start()
    for word in run.group().split(" "):
        out.append(_Token(word, start))
        start += len(word) + 1
    return out


def _segments(tokens: list[_Token]) -> list[tuple[list[_Token], _Token | None, bool]]:
    """Split a run at words that are never names: (name tokens, the word just before, followed by a non-name)."""
    out: list[tuple[list[_Token], _Token | None, bool]] = []
    current: list[_Token] = []
    before: _Token | None = None
    for tok in tokens:
        if not tok.particle and not tok.initial and _splits_run(tok.text):
            if current:
                out.append((current, before, True))
                current = []
            before = tok
            continue
        if not current and tok.particle:
            continue
        current.append(tok)
    if current:
        out.append((current, before, False))
    return out


def _line(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end


def _heading(text: str, start: int, end: int) -> bool:
    """A Title-Case line (`Quarterly Review Of Vendor Contracts`): capitalised words are not evidence there."""
    line_start, line_end = _line(text, start, end)
    line = text[line_start:line_end].strip()
    if len(line) > 100 or _NOT_HEADING.search(line):
        return False  # a heading has no lists, labels, brackets, numbers or final stop
    words = [w for w in _LETTERS.findall(line) if w not in _HEADING_SMALL]
    return len(words) >= 4 and all(w[0].isupper() for w in words)


def _sign_off(text: str, start: int, end: int) -> bool:
    """The candidate is alone on its line, under a closing line (`Best regards,`)."""
    line_start, line_end = _line(text, start, end)
    if text[line_start:start].strip() or text[end:line_end].strip(" ,.\t"):
        return False
    prev_end = line_start - 1
    while prev_end > 0:
        prev_start = text.rfind("\n", 0, prev_end) + 1
        prev = text[prev_start:prev_end]
        if prev.strip():
            return bool(_CLOSING.match(prev))
        prev_end = prev_start - 1
    return False


def _alone_on_line(text: str, start: int, end: int) -> bool:
    line_start, line_end = _line(text, start, end)
    return not text[line_start:start].strip(" \t-–—") and not text[end:line_end].strip(" \t,.!-–—")


def _speaker(text: str, start: int, end: int) -> str:
    """`[10:42] Tomasz: …` ("stamped"), `Tomasz Nowak: …` ("plain") at the start of a chat line, else ""."""
    line_start, _ = _line(text, start, end)
    prefix = text[line_start:start]
    if not _SPEAKER_AFTER.match(text, end) or not _SPEAKER.match(prefix):
        return ""
    return "stamped" if prefix.strip() else "plain"


_Found = tuple[tuple[tuple[int, int, float, bool], ...], tuple[tuple[int, int], ...]]
# The word-list pass of the last texts: `ner_lines` computes it for a batch of chunks before the
# recognizer reads it again on each (engine.Detector._ner_ahead reads at most 32 chunks ahead).
_LEXICAL: RecentTexts[_Found] = RecentTexts(64)


def _find(text: str, ner: list[tuple[int, int]]) -> list[tuple[int, int, float, bool]]:
    """(start, end, score, weak) of each name."""
    found, blocked = _LEXICAL.get(None, text, lambda: _lexical(text))
    out = list(found)
    for start, end in ner:
        if _inside(blocked, start, end) or any(s <= start and end <= e for s, e, _, _ in out):
            continue
        ner_words = text[start:end].split()
        if _ner_rejected(text, start, end, ner_words):
            continue
        keys = [fold(w.rstrip(".,")) for w in ner_words]
        # Reported on its own only in a sentence, with no word that is also an ordinary word, a
        # street type or a place after `in`/`at` (`Storm Henk`, `Mill Lane`); else kept only beside other data.
        alone = (
            _in_prose(text, start, end)
            and not any(k in lexicon().ambiguous for k in keys)
            and not any(_STREET_TYPE.fullmatch(w) for w in ner_words)
            and not _PLACE_BEFORE.search(text, max(0, start - 12), start)
        )
        out.append((start, end, 0.6, not alone))
    return out


def _inside(blocked: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in blocked) or any(a < end and start < b for a, b in blocked)


def _ner_rejected(text: str, start: int, end: int, ner_words: list[str]) -> bool:
    """A spaCy PERSON that is never a name, whatever else the text holds: an ordinary word or a
    title in it, an organisation or a non-name word after it, a word in capitals, only ambiguous
    words, or a Title-Case heading."""
    lex = lexicon()
    keys = [fold(w.rstrip(".,")) for w in ner_words]
    after = _NEXT_WORD.match(text, end)
    if any(k in lex.not_name or k in lex.titles for k in keys) or _ORG_AFTER.match(text, end):
        return True
    if (after and fold(after[1]) in lex.not_name) or any(w.isupper() and len(w) > 1 for w in ner_words):
        return True  # `Fonterra Co-operative Group`, `SK Brann`
    return all(k in lex.ambiguous for k in keys if len(k) > 1) or _heading(text, start, end)


# Capitalised words, single spaces between them: where a spaCy PERSON that fullmatches LATIN_NAME can lie.
_CAPITALISED_RUN = regex.compile(
    rf"(?<![{_UPPER}{_LETTER}'’\-])[{_UPPER}][{_LETTER}'’\-]*\.?(?: [{_UPPER}][{_LETTER}'’\-]*\.?)+"
)


def ner_lines(text: str) -> list[tuple[int, int]]:
    """The lines (start, end offsets, in text order) where a spaCy PERSON could become a finding.

    Only a span of two to four capitalised words (LATIN_NAME) that no word-list finding covers,
    outside addresses, and that `_find`'s NER filters would not reject can: where no such span
    exists, running spaCy changes nothing. Spans are taken at word boundaries and also inside
    hyphenated words (spaCy splits `Smith-Jones`)."""
    found, blocked = _LEXICAL.get(None, text, lambda: _lexical(text))
    lines: list[tuple[int, int]] = []
    for run in _CAPITALISED_RUN.finditer(text):
        if lines and run.start() < lines[-1][1]:
            continue  # this line is in already
        words = [(m.start() + run.start(), m.end() + run.start()) for m in _NON_SPACE.finditer(run.group())]
        if any(
            _ner_can_add(text, start, end, found, blocked)
            for i in range(len(words))
            for j in range(i + 2, min(len(words), i + 4) + 1)
            for start in _starts(text, words[i])
            for end in _ends(text, words[j - 1])
        ):
            lines.append(_line(text, run.start(), run.end()))
    return lines


def _starts(text: str, word: tuple[int, int]) -> list[int]:
    a, b = word
    return [a] + [a + k + 1 for k, ch in enumerate(text[a:b]) if ch == "-"]


def _ends(text: str, word: tuple[int, int]) -> list[int]:
    a, b = word
    return [b] + [a + k for k, ch in enumerate(text[a:b]) if ch == "-"]


def _ner_can_add(
    text: str,
    start: int,
    end: int,
    found: tuple[tuple[int, int, float, bool], ...],
    blocked: tuple[tuple[int, int], ...],
) -> bool:
    value = text[start:end].rstrip()
    if value.endswith(("'s", "’s")):
        value = value[:-2]
    end = start + len(value)
    if end <= start or not LATIN_NAME.fullmatch(value):
        return False
    if _inside(blocked, start, end) or any(s <= start and end <= e for s, e, _, _ in found):
        return False
    return not _ner_rejected(text, start, end, value.split())


def _lexical(text: str) -> _Found:
    """The names found without spaCy, and the spans (addresses, organisations) names never lie in."""
    lex = lexicon()
    blocked = [(a, b) for a, b, _ in addresses_in(text)]
    blocked += _organisations(text, lex)
    spans = tuple(blocked)
    found: list[tuple[int, int, float, bool]] = []
    singles: list[tuple[int, int]] = []

    def inside_address(start: int, end: int) -> bool:
        return _inside(spans, start, end)

    for run in _RUN.finditer(text, timeout=1.0):
        token = run.group()
        if " " not in token and (_initial(token) or _splits_run(token)):
            continue  # one word, never a name (`In`, `HTTP`): `_segments` would keep nothing of it
        for seg, before, followed in _segments(_tokens(run)):
            words = [t for t in seg if not t.initial and not t.particle]
            if not words or len(words) > 4:
                continue
            start, end = seg[0].start, seg[-1].end
            if seg[-1].text.endswith((".",)) and not seg[-1].initial:
                end -= 1
            if text[end - 2 : end] in ("'s", "’s"):
                end -= 2
            if followed or _ORG_AFTER.match(text, end) or inside_address(start, end):
                continue
            score = _score(text, start, end, words, before, lex, any(t.initial for t in seg))
            if score:
                found.append((start, end, score, False))
            elif len(words) == 1:
                singles.append((start, end))
    # A part of a name found in full elsewhere in the text is that person again (`… Rahima Begum …
    # Rahima said`), unless it is also an ordinary word.
    parts = {
        fold(w)
        for s, e, score, _ in found
        if score >= 0.75 and " " in text[s:e]
        for w in text[s:e].split()
        if len(w) > 2 and not w.endswith(".")
    } - lex.ambiguous
    for start, end in singles:
        if fold(text[start:end]) in parts and not _PLACE_BEFORE.search(text, max(0, start - 12), start):
            found.append((start, end, 0.7, False))
    for m in _ALL_CAPS.finditer(text, timeout=1.0):
        score = _all_caps_score(text, m, lex)
        if score and not inside_address(m.start(), m.end()):
            found.append((m.start(), m.end(), score, False))
    for m in _SURNAME_GIVEN.finditer(text, timeout=1.0):
        if _known(m[1], lex.surnames, lex) and _known(m[2], lex.given, lex) and not inside_address(m.start(), m.end()):
            found.append((m.start(), m.end(), 0.8, False))
    return tuple(found), spans


def _score(
    text: str, start: int, end: int, words: list[_Token], before: _Token | None, lex: _Lexicon, initial: bool
) -> float:
    first, last = words[0].text, words[-1].text
    given = _known(first, lex.given, lex)
    surname = len(words) > 1 and _known(last, lex.surnames, lex)
    line_start, _ = _line(text, start, end)
    head = text[max(line_start, start - 40) : start]
    title = _title_before(head, lex)
    titled = title is not None
    if len(words) > 1:
        if given and surname:
            return 0.85
        if _heading(text, start, end) and not titled:
            return 0.0
        # Any part known, in either order (`Nguyen Van Anh`, `Halász Zsófia`, `Joe Biden`).
        if len(words) > 2 and not given and not _known(first, lex.surnames, lex) and not titled:
            return 0.0  # `Citizens Advice Bradford`: a longer run needs its first word to be a given name
        if given or surname or any(_known(w.text, lex.given, lex) or _known(w.text, lex.surnames, lex) for w in words):
            return 0.75
        if titled:
            return 0.75
        if _speaker(text, start, end) == "stamped" or _sign_off(text, start, end) or _LABEL.search(head):
            return 0.65
        if _CUE_STRONG.search(head):
            return 0.6
        return 0.0
    key = fold(first)
    if before is not None and not titled and before.end + 1 == start and fold(before.text) not in _FUNCTION:
        return 0.0  # the end of a longer capitalised phrase: `San Francisco`, `Lake Victoria`
    if initial and key not in lex.ambiguous:
        return 0.7 if _known(first, lex.surnames, lex) else 0.6  # `J. Okafor`, `A. N. Other`
    if _PLACE_BEFORE.search(head) and not titled:
        return 0.0
    if title is not None and fold(title[1]) in _HONORIFICS:
        # `Ms. Carter`, `Dr. Okafor`: a surname alone identifies nobody in running prose, but a
        # salutation addresses one person; a Korean surname alone is never a name (`Mr. Kim`).
        if key in lex.korean_surnames or key in lex.ambiguous:
            return 0.0
        return 0.7 if _SALUTATION.search(head[: title.start()]) else 0.0
    if titled:  # a role: `Coach Eirik`, `patient Maria`
        return 0.75 if _known(first, lex.given, lex) else 0.0
    known_given = _known(first, lex.given, lex)
    if _heading(text, start, end):
        return 0.0
    known = known_given or _known(first, lex.surnames, lex)
    if _CUE_STRONG.search(head):
        return 0.75 if known else 0.6
    if known and _LABEL.search(head):
        return 0.75
    speaker = _speaker(text, start, end)
    if speaker or _sign_off(text, start, end):
        # An unknown single word before a colon is a label (`Program:`) or a bot (`Reminder:`).
        if known_given or (speaker == "stamped" and key in lex.given):
            return 0.75  # a timestamped chat speaker may be `Grace` or `Will` too
        return 0.6 if not speaker else 0.0
    if not known_given:
        return 0.0
    if _CUE_WEAK.search(head) or _CUE_AFTER.match(text, end) or _alone_on_line(text, start, end):
        return 0.7
    # A known given name in prose, with nothing else to go on.
    return 0.55 if _in_prose(text, start, end) else 0.0


_TITLE_BEFORE = regex.compile(r"(?<![\p{L}])(\p{Lu}\p{L}{1,14})\.?[ ]+$")


def _title_before(head: str, lex: _Lexicon) -> regex.Match[str] | None:
    """The title right before a candidate (`Dr.`, `Ms`, `Professor`), if any."""
    m = _TITLE_BEFORE.search(head)
    return m if m and fold(m[1]) in lex.titles else None


def _in_prose(text: str, start: int, end: int) -> bool:
    """A lower-case word right before or right after: the name sits in a sentence."""
    return bool(_PROSE_BEFORE.search(text[max(0, start - 20) : start])) or bool(
        _PROSE_AFTER.match(text[end : end + 20])
    )


def is_name(value: str) -> bool:
    """True when `value` on its own reads as a person's name on word-list evidence (not a NER guess)."""
    text = f"with {value} today"  # in a sentence: a bare line of capitalised words could be a heading
    return any(s == 5 and e == 5 + len(value) and score >= 0.75 and not weak for s, e, score, weak in _find(text, []))


class EnglishPersonRecognizer(EntityRecognizer):
    """Names in English text (see the module docstring); reads spaCy's PERSON entities when the
    English pipeline ran, and works on the word list and cues alone when it did not."""

    name: str

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entities=["PERSON"], supported_language=supported_language, name="EnglishPersonRecognizer"
        )

    def load(self) -> None:
        lexicon()

    def analyze(
        self, text: str, entities: list[str] | None, nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and "PERSON" not in entities:
            return []
        ner = _ner_spans(text, nlp_artifacts)
        return [
            RecognizerResult(
                "PERSON",
                start,
                end,
                score,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    "weak": weak,
                },
            )
            for start, end, score, weak in _find(text, ner)
        ]


def _ner_spans(text: str, nlp_artifacts: NlpArtifacts | None) -> list[tuple[int, int]]:
    """spaCy's PERSON spans that read as two to four capitalised Latin words (see prefilter.py:
    only text with such a run is sent through spaCy at all)."""
    entities: Any = getattr(nlp_artifacts, "entities", None) or []
    out = []
    for ent in entities:
        if getattr(ent, "label_", None) != "PERSON":
            continue
        start, end = ent.start_char, ent.end_char
        value = text[start:end].rstrip()
        if value.endswith(("'s", "’s")):
            value = value[:-2]
        if LATIN_NAME.fullmatch(value):
            out.append((start, start + len(value)))
    return out
