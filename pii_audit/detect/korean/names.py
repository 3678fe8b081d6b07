"""PERSON in Hangul: a surname (one syllable, or 남궁/황보/제갈/선우/독고/사공/서문) and a given name of
one or two syllables, accepted only with evidence that it names a person:

- it is the value of a name field (`성명: 홍길동`, a `이름` column, `상담자: 강현주`);
- an honorific or title follows (`씨`, `님`, `선생님`, `과장`…);
- a kinship word stands next to it (`사촌 동생 이정숙`, `최해연 (어머니)`);
- a bracket with a birth date or followed by an honorific comes after it (`양향(1993-10-05, …) 씨`);
- Kiwi tags it as a proper noun and a particle follows (`이중수는`, `김철수의`), for three-syllable
  names only, since two-syllable words that start with a surname are mostly common nouns.

Particles and honorifics are never part of the reported span. A surname alone (`김 씨`) is not a
name; nor are organisations, places and common nouns (a stop list, the address gazetteer's
shapes, Kiwi's compound splits). Word lists: patterns/wordlists/korean_names.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_audit.detect.kiwi_tokenizer import kiwi
from pii_audit.detect.korean import name_slots
from pii_audit.detect.korean.foreign_names import foreign_names
from pii_audit.detect.korean.name_shape import (
    given_pair,
    known_common,
    not_a_name,
    particle_follows,
    reads_as_name,
    stem_known,
)
from pii_audit.detect.lines import before_on_line, label_before, line_bounds, sentence_bounds, squash
from pii_audit.resources import WORDLISTS, read_yaml

WORDLIST = WORDLISTS / "korean_names.yaml"
_WORDS = read_yaml(WORDLIST)
SINGLE_SURNAMES: str = _WORDS["single_surnames"]
DOUBLE_SURNAMES: tuple[str, ...] = tuple(_WORDS["double_surnames"])
NAME_LABELS: tuple[str, ...] = tuple(_WORDS["name_labels"])
HONORIFICS: tuple[str, ...] = tuple(_WORDS["honorifics"])
KIN: tuple[str, ...] = tuple(_WORDS["kin"])
PARTICLES: tuple[str, ...] = tuple(_WORDS["particles"])
_PLACE_ENDINGS: tuple[str, ...] = tuple(_WORDS["place_endings"])
# Words that look like surname + one or two syllables but are not names.
STOP = frozenset(_WORDS["not_names"])

_SURNAME = "(?:" + "|".join(DOUBLE_SURNAMES) + f"|[{SINGLE_SURNAMES}])"
_CANDIDATE = regex.compile(rf"(?<![가-힣])(?P<name>{_SURNAME}[가-힣]{{1,3}})")
_NAME_LABELS = tuple(squash(x) for x in NAME_LABELS)
_PARTICLE_ALT = "|".join(regex.escape(p) for p in sorted(PARTICLES, key=len, reverse=True))
_HONORIFIC = regex.compile(
    r"\s?(?:" + "|".join(sorted(HONORIFICS, key=len, reverse=True)) + r")(?![가-힣])|"
    r"\s?(?:" + "|".join(sorted(HONORIFICS, key=len, reverse=True)) + r")(?:" + _PARTICLE_ALT + r")(?![가-힣])"
)
_PARTICLE = regex.compile(r"(?:" + _PARTICLE_ALT + r")(?![가-힣])")
_KIN_BEFORE = regex.compile(r"(?:" + "|".join(KIN) + r")\s*(?:인|인\s|:)?\s*$")
# `양향(1993-10-05, 강원도 원산시 출신) 씨`, `이정옥(54.02.15)`: a bracket with a date or an honorific after it.
_BRACKET_AFTER = regex.compile(
    r"\s*\((?:\s*(?:\d{2}|\d{4})\s*(?:[.\-/년]\s*\d{1,2}(?!\d)|년(?:생)?\s*[,)])"
    r"|\s*(?:생년월일|생일|주민등록번호|주민번호|만\s?\d+세|\d+세))"
)
# `강정순(1967. 2. 5, …) 씨`: a bracket closed by an honorific marks a person whatever the bracket holds.
_BRACKET_HONORIFIC = regex.compile(
    r"\s*\([^()\n]{0,60}\)\s*(?:씨|님|선생님)(?:께서|에게|[은는이가의께도와과을를])?(?![가-힣])"
)
# `상담 대상 주지아의`, `내담자 한서윤 씨`: a role word right before the name.
_CUE_WORDS = (
    *("대상", "대상자", "내담자", "신청인", "보호자", "의뢰인", "피해자", "수급자", "입소자", "교육생"),
    *("수강생", "회원", "학생", "환자", "고객", "세대주", "담당자", "상담자", "성명", "이름", "본인"),
    *("동의인", "신청자", "서약인", "위임인", "대리인", "자녀", "배우자"),
)
_CUE_BEFORE = regex.compile(r"(?<![가-힣])(?:" + "|".join(_CUE_WORDS) + r")\s*$")
# `김수빈이 2001.07.24생으로`: a name whose particle is followed by a birth date on the same line.
_DATE_SOON = regex.compile(
    r"(?:" + _PARTICLE_ALT + r")?[ \t]*[,(]?[ \t]*\d{2,4}[ \t]*[.\-/년]"
    r"[0-9 .\-/월일]{0,12}생"
    # `한승현은 40세 남성으로`: an age needs the topic particle, or `최연소 19세` would be a name.
    r"|(?:은|는|이|가)[ \t]+(?:만[ \t]?)?\d{1,3}[ \t]?(?:세|살)(?![가-힣])"
)
# A name on Kiwi's POS evidence alone: its score, and the metadata key of one not yet confirmed.
POS_SCORE = 0.6
PENDING = "pending"
_KIN_AFTER = regex.compile(r"\s*\(\s*(?:" + "|".join(KIN) + r")")
# What the character right after a candidate must be for each pattern matched there to have a chance
# (`_judge` skips the others: most candidates are followed by a syllable or a space that starts none).
# Supersets: `str.isspace` holds for everything `\s` matches, `str.isdigit` for everything `\d` does.
_HONORIFIC_FIRST = frozenset(h[0] for h in HONORIFICS)  # after an optional space
_PARTICLE_FIRST = frozenset(p[0] for p in PARTICLES)
_DATE_SOON_FIRST = _PARTICLE_FIRST | {" ", "\t", ",", "("}  # or a digit
# The last character before the trailing spaces of a line head that _KIN_BEFORE or _CUE_BEFORE matches.
_BEFORE_LAST = frozenset({*(w[-1] for w in (*KIN, *_CUE_WORDS)), "인", ":"})


_DOUBLE_SURNAME_SET = frozenset(DOUBLE_SURNAMES)
# The names `_judge` never tries: stop words, a two-syllable surname alone, an honorific.
_NOT_TRIED = STOP | _DOUBLE_SURNAME_SET | frozenset(HONORIFICS)


def _starts_of(words: Iterable[str], closed: bool) -> frozenset[str]:
    """The starts of `words` that a candidate word's rest can be (see `_JUDGE_STARTS`): every start,
    or, for a word closed by a non-syllable, the syllables before a word's first non-syllable
    (`이` of `이(가)`), which must then be the whole rest."""
    if closed:
        return frozenset(regex.match(r"[가-힣]*", w).group() for w in words) - {""}
    return frozenset(w[:k] for w in words for k in range(1, len(w) + 1))


# What the rest of a candidate word after a shorter name must be for a test to start there: the
# start of a particle (`_PARTICLE`, and `_DATE_SOON`, whose particle or age topic then leaves the
# syllables), of an honorific or of an honorific and a particle (`_HONORIFIC`). Each of them ends
# before a non-syllable, so none ends inside the word (`로케` + `이션` starts none), and in a word
# closed by a non-syllable (the candidate's whole run of syllables), its syllables are the rest
# (`공급` + `사:` starts none; `사원` would). Keyed by whether the word is closed.
_AFTER_WORDS = (*HONORIFICS, *(h + p for h in HONORIFICS for p in PARTICLES), "은", "는", "이", "가")
_PARTICLE_STARTS = {closed: _starts_of(PARTICLES, closed) for closed in (False, True)}
_JUDGE_STARTS = {closed: _PARTICLE_STARTS[closed] | _starts_of(_AFTER_WORDS, closed) for closed in (False, True)}


def _surname_len(word: str) -> int:
    return 2 if word[:2] in _DOUBLE_SURNAME_SET and len(word) >= 3 else 1


def _is_stop(name: str) -> bool:
    return name in STOP or name.endswith(_PLACE_ENDINGS) and len(name) > 2 and name[:-1] in STOP


@lru_cache(maxsize=65536)
def is_common_compound(word: str) -> bool:
    """Kiwi splits known compounds into dictionary words (`설립`+`일`, `선생`+`님`, `정기`+`상담`); a
    name it does not know stays whole (`주지아`) or splits after a one-syllable surname (`강`+`준`)."""
    tokens = kiwi().tokenize(word)
    return len(tokens) > 1 and tokens[0].len >= 2 and tokens[0].tag in ("NNG", "VV", "VA", "XR", "MAG", "NNB")


def looks_like_name(word: str) -> bool:
    """Surname + one or two syllables (two-syllable surnames: + up to two), not a known word."""
    surname = _surname_len(word)
    if not (2 <= len(word) <= surname + 2) or _is_stop(word) or word.endswith(_PLACE_ENDINGS[:9]):
        return False
    return word[:surname] in DOUBLE_SURNAMES or word[0] in SINGLE_SURNAMES


class KoreanNameRecognizer(EntityRecognizer):
    name: str

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], supported_language="ko", name="KoreanNameRecognizer")
        # Set by the engine: names on POS evidence alone come back PENDING, unconfirmed (see `pos_confirmed`).
        self.defer_pos = False
        # Candidates that `_hopeless` proves can give nothing are dropped before the judgements (off:
        # every candidate is judged, the reference the tests compare with).
        self.shortcut = True

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        slots = _Slots(text)
        foreign = foreign_names(text)
        for start, end in foreign:
            meta = {"recognizer_name": self.name, "weak": False}
            results.append(RecognizerResult("PERSON", start, end, 0.75, recognition_metadata=meta))
        for m in list(_CANDIDATE.finditer(text, timeout=1.0)):
            word = m.group("name")
            start = m.start()
            if foreign and any(a <= start < b for a, b in foreign):
                continue
            if self.shortcut and _hopeless(text, start, word):
                continue
            found = self._judge(text, start, word)
            weak = False
            if found is None:
                found = _judge_slots(text, start, word, slots)
            if found is None and len(word) >= 3:
                if self.defer_pos:
                    length = _pos_shape(text, start, word)
                    if length is not None:
                        meta = {"recognizer_name": self.name, "weak": True, PENDING: True}
                        results.append(
                            RecognizerResult("PERSON", start, start + length, POS_SCORE, recognition_metadata=meta)
                        )
                    continue
                found = self._judge_by_pos(text, start, word)
                weak = True
            if found is not None:
                length, score = found
                meta = {"recognizer_name": self.name, "weak": weak}
                results.append(RecognizerResult("PERSON", start, start + length, score, recognition_metadata=meta))
        return results

    def _judge(self, text: str, start: int, word: str) -> tuple[int, float] | None:
        """(length, score) of a name at `start` by label, honorific or kinship evidence."""
        surname = _surname_len(word)
        # The label and the words before the name are the same for every length tried: looked up
        # once, and only when a test needs them (most candidates are settled or dropped before).
        labelled: bool | None = None
        kin_before: int | None = None  # _KIN, _ROLE or 0 (neither)
        # Try the longest given name first: most names have two-syllable given names.
        for given in (3, 2, 1):
            length = surname + given
            if length > len(word) or given == 3 and surname == 1:
                continue
            name = word[:length]
            if name in _NOT_TRIED:
                continue
            # What follows the name is matched in place (`pattern.match(text, pos)`, the patterns
            # have no lookbehind): slicing the rest of a long text for every candidate cost more.
            pos = start + length
            after = text[pos : pos + 1]
            spaced = after.isspace()
            # A pattern is tried only where the next character can start it (see _HONORIFIC_FIRST).
            bracket = (_next_visible(text, pos) if spaced else after) == "("
            honorific = (
                after in _HONORIFIC_FIRST or spaced and text[pos + 1 : pos + 2] in _HONORIFIC_FIRST
            ) and _HONORIFIC.match(text, pos)
            # `군`/`양` (young man/woman) only attached: `사는 양 씨` is a surname, not `사는` + 양.
            if honorific and not (after == " " and text[pos + 1 : pos + 2] in ("군", "양")) and not not_a_name(name):
                return length, 0.85
            boundary = not after or not ("가" <= after <= "힣")
            if boundary and length >= 2:
                if labelled is None:
                    labelled = _labelled(text, start)
                # `담당 부서: 인사팀`: no given name ends in 팀 (team), so a field's team is no name.
                if labelled and not name.endswith("팀"):
                    return length, 0.9
            if length >= 2 and bracket and _BRACKET_HONORIFIC.match(text, pos):
                return length, 0.85
            if (
                length >= 2
                and (
                    (bracket and _BRACKET_AFTER.match(text, pos))
                    or ((after in _DATE_SOON_FIRST or after.isdigit()) and _DATE_SOON.match(text, pos))
                )
                and not is_common_compound(name)
            ):
                return length, 0.8
            if boundary or after in _PARTICLE_FIRST and _PARTICLE.match(text, pos):
                if kin_before is None:
                    kin_before = _word_before(before_on_line(text, start, 12))
                kin_after = bracket and _KIN_AFTER.match(text, pos)
                if kin_before or kin_after:
                    # `내담자 정보는`: a common word and its particle; `언니 이별 (010-…)` is a name,
                    # but after a role word a word Kiwi knows is a phrase's (`고객 포털`, `회원 등급`)
                    # unless an honorific or a bracket follows it (`내담자 한결 씨`, `회원 이슬 (010-…)`).
                    plain = boundary and not particle_follows(name, length - 1)
                    person_after = kin_before == _KIN or kin_after or honorific or bracket
                    if plain and person_after or not not_a_name(name):
                        return length, 0.8
        return None

    def _judge_by_pos(self, text: str, start: int, word: str) -> tuple[int, float] | None:
        length = _pos_shape(text, start, word)
        if length is None or not pos_confirmed(text, start, start + length):
            return None
        return length, POS_SCORE


def _hopeless(text: str, start: int, word: str) -> bool:
    """True when `_judge`, `_judge_slots` and `_pos_shape` all give None for the candidate `word` at
    `start`, proved from the word (`_word_plan`) and, when the whole word is judged, a few cheap
    necessary conditions on what follows it (`_may_judge_whole`). False means "judge it": the
    candidate may still come to nothing. A roster row's labels (`성명:`, `연락처:`) and address words
    (`서울특별시`, `노원구`, `노원로 12`) end here; names and words that might be one do not."""
    end = start + len(word)
    plan = _word_plan(word, not ("가" <= text[end : end + 1] <= "힣"))
    if plan is None:
        return False
    judged_whole, slot_whole = plan
    if judged_whole and _may_judge_whole(text, start, start + len(word)):
        return False
    # The whole word as a slot name: `_judge_slots` reads it only at a boundary or before a particle,
    # and then asks `_bare_name` first (the same cached call it would make).
    return not (slot_whole and _bare_name(word))


@lru_cache(maxsize=65536)
def _word_plan(word: str, closed: bool) -> tuple[bool, bool] | None:
    """What the judgements can make of `word` from the word alone. Each of them tries names of
    several lengths; for a name shorter than the word, what follows it is the rest of the word, so
    whether a test can start there is known (`_judge`: an honorific or a particle, the only tests
    that start on a syllable; `_judge_slots` and `_pos_shape`: a particle; see `_JUDGE_STARTS`:
    the rest must be the start of one, as no test ends inside the word). None: some shorter name
    (or the POS shape) may be found, judge the candidate. Otherwise (whether `_judge` tries the whole
    word, whether `_judge_slots` does): everything else is known to give None. No Kiwi here.
    `closed`: the character after the word is not a syllable (the word is its run's end)."""
    surname = _surname_len(word)
    n = len(word)
    judged_whole = False
    for given in (3, 2, 1):  # as `_judge` tries them
        length = surname + given
        if length > n or given == 3 and surname == 1 or word[:length] in _NOT_TRIED:
            continue
        if length == n:
            judged_whole = True
        elif word[length:] in _JUDGE_STARTS[closed]:
            return None
    slot_whole = False
    for given in (2, 1):  # as `_judge_slots` tries them
        length = surname + given
        if length == n:
            slot_whole = True
        elif length < n and word[length:] in _PARTICLE_STARTS[closed] and _bare_shape(word[:length]):
            return None
    if n >= 3:  # `_pos_shape`
        length = min(surname + 2, n)
        name = word[:length]
        if not (len(name) < 3 or _is_stop(name) or name.endswith(_PLACE_ENDINGS)) and (
            length == n or word[length:] in _PARTICLE_STARTS[closed]
        ):
            return None
    return judged_whole, slot_whole


def _may_judge_whole(text: str, start: int, end: int) -> bool:
    """False only when `_judge` finds no name `text[start:end]`: every test it makes for that length
    needs one of these (a superset of each test's own condition, or the test itself)."""
    after = text[end : end + 1]
    if after in _HONORIFIC_FIRST:
        return True
    if after.isspace():
        if text[end + 1 : end + 2] in _HONORIFIC_FIRST or _next_visible(text, end) == "(":
            return True
    elif after == "(":
        return True
    boundary = not after or not ("가" <= after <= "힣")
    if boundary and _colon_before(text, start):
        return True
    if (after in _DATE_SOON_FIRST or after.isdigit()) and _DATE_SOON.match(text, end):
        return True
    return (boundary or after in _PARTICLE_FIRST) and _word_before(before_on_line(text, start, 12)) != 0


_KIN, _ROLE = 2, 1


@lru_cache(maxsize=4096)  # the heads before place names and labels repeat row after row
def _word_before(head: str) -> int:
    """What `head` (at most 12 characters of the line before a candidate) ends with: a kinship word
    (`_KIN`), a role word (`_ROLE`) or neither (0)."""
    if head.rstrip()[-1:] not in _BEFORE_LAST:
        return 0
    return _KIN if _KIN_BEFORE.search(head) else _ROLE if _CUE_BEFORE.search(head) else 0


def _pos_shape(text: str, start: int, word: str) -> int | None:
    """The length of a name that Kiwi's POS tags could confirm (surname + two syllables, then a
    particle or the end of the word), or None: the cheap tests, no Kiwi."""
    length = min(_surname_len(word) + 2, len(word))
    name = word[:length]
    if len(name) < 3 or _is_stop(name) or name.endswith(_PLACE_ENDINGS):
        return None
    pos = start + length
    after = text[pos : pos + 1]
    if not (
        (after in _PARTICLE_FIRST and _PARTICLE.match(text, pos)) or not after.strip() or not ("가" <= after <= "힣")
    ):
        return None
    return length


def pos_confirmed(text: str, start: int, end: int) -> bool:
    """Kiwi reads `text[start:end]` as a proper noun in its sentence (with the sentences either side
    of it, `lines.sentence_bounds`), and not as a common word or an organisation. The costly half of
    the POS evidence: a name on this evidence alone is `weak`, kept only beside other personal data,
    so the engine asks only when that is there (engine._confirm)."""
    name = text[start:end]
    if is_common_compound(name) or not_a_name(name, strict=True):
        return False
    # Kiwi reads the candidate's sentence and its neighbours (cached), not its whole line: a report's
    # paragraph is one line of thousands of characters, most of whose sentences hold no candidate
    # (on the 20 MB share, 0.75 M characters read instead of 1.08 M). On every candidate of two such
    # shares and of tests/documents, the same answer as the line gives. The sentence alone is not
    # enough: what Kiwi makes of a word can change with the sentence after it.
    first, last = sentence_bounds(text, start, end)
    return (start - first, end - first) in _proper_nouns(text[first:last])


def _next_visible(text: str, pos: int) -> str:
    """The first character from `pos` on that is not a space (`str.isspace`), or ''."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return text[pos : pos + 1]


def _colon_before(text: str, start: int) -> bool:
    """A colon ends the line before `start`, but for spaces: what `label_before` needs to find a label."""
    pos = start - 1
    while pos >= 0 and text[pos] != "\n" and text[pos].isspace():
        pos -= 1
    return pos >= 0 and text[pos] in ":："


def _labelled(text: str, start: int) -> bool:
    """The value of a name field: `성명: 홍길동`, a `이름` column."""
    if not _colon_before(text, start):
        return False
    label = label_before(text, start)
    return label is not None and _names_a_person(label)


@lru_cache(maxsize=1024)  # column headers and form labels repeat row after row
def _names_a_person(label: str) -> bool:
    squashed = squash(label)
    return any(lbl in squashed for lbl in _NAME_LABELS)


@lru_cache(maxsize=4096)
def _proper_nouns(text: str) -> frozenset[tuple[int, int]]:
    """Spans Kiwi tags as proper nouns, with adjacent NNP pieces joined (Kiwi splits `홍` + `정자`)."""
    spans: set[tuple[int, int]] = set()
    prev_end, prev_start = -1, -1
    for tok in kiwi().tokenize(text):
        if tok.tag == "NNP" or (tok.tag in ("NNG", "NNB") and prev_end == tok.start and tok.len <= 2):
            start = prev_start if prev_end == tok.start else tok.start
            end = tok.start + tok.len
            spans.add((start, end))
            spans.add((tok.start, end))
            prev_start, prev_end = start, end
        else:
            prev_end, prev_start = -1, -1
    return frozenset(spans)


class _Slots:
    """Per-text facts the slot tests share: chat speaker fields, and the list items of each line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._speakers: frozenset[tuple[int, int]] | None = None
        self._lists: dict[int, frozenset[tuple[int, int]]] = {}

    def speaker(self, start: int, end: int) -> bool:
        if self._speakers is None:
            self._speakers = name_slots.chat_speakers(self.text)
        return (start, end) in self._speakers

    def listed(self, start: int, end: int) -> bool:
        """The candidate is an item of a list with at least one other name-shaped item."""
        line_start, line_end = line_bounds(self.text, start)
        items = self._lists.get(line_start)
        if items is None:
            line = self.text[line_start:line_end]
            spans = [(line_start + a, line_start + b) for a, b in name_slots.list_items(line)]
            items = frozenset(sp for sp in spans if _bare_name(self.text[sp[0] : sp[1]]))
            if len(items) < 2:
                items = frozenset()
            self._lists[line_start] = items
        return (start, end) in items


def _bare_shape(word: str) -> bool:
    """The first tests of `_bare_name`, without Kiwi: False means `_bare_name` is False."""
    surname = _surname_len(word)
    if not (surname < len(word) <= surname + 2) or _is_stop(word) or word in _DOUBLE_SURNAME_SET:
        return False
    return word[:surname] in _DOUBLE_SURNAME_SET or word[0] in SINGLE_SURNAMES


@lru_cache(maxsize=65536)
def _bare_name(word: str) -> bool:
    """Surname + one or two syllables that is not a stop word, a place, a common word or an
    organisation (name_shape.py)."""
    if not _bare_shape(word):
        return False
    surname = _surname_len(word)
    # `구월동`, `정왕동`: a place; but a name may end in 리/구/동 (`오세리`, `김민구`).
    if len(word) >= 3 and word.endswith(_PLACE_ENDINGS[:9]) and stem_known(word):
        return False
    if not_a_name(word):
        return False
    # `모친`+`상` splits into known words and its syllables are not a given name's; `엄지`+`후` is a name.
    return not known_common(word, strict=True) or given_pair(word[surname:])


def _judge_slots(text: str, start: int, word: str, slots: _Slots) -> tuple[int, float] | None:
    """(length, score) of a name at `start` by where it stands (name_slots.py), for a word that is
    not a common word or an organisation (name_shape.py)."""
    surname = _surname_len(word)
    for given in (2, 1):
        length = surname + given
        if length > len(word):
            continue
        pos = start + length
        after = text[pos : pos + 1]
        boundary = not ("가" <= after <= "힣") if after else True
        particle = not boundary and after in _PARTICLE_FIRST and _PARTICLE.match(text, pos) is not None
        if not (boundary or particle):
            continue
        name = word[:length]
        if not _bare_name(name):
            continue
        if given == 2 and boundary and particle_follows(name, length - 1):
            continue  # `김준은`, `남궁혁은`: a shorter name and a particle, as Kiwi reads it
        if boundary and (
            slots.speaker(start, pos) or name_slots.hanja_after(text, pos) or name_slots.key_before(text, start)
        ):
            return length, 0.85
        if name_slots.title_after(text, pos) and not name_slots.title_after(text, start + surname):
            return length, 0.8
        head = before_on_line(text, start, 24)
        if name_slots.role_before(head):
            return length, 0.8
        if boundary and slots.listed(start, pos):
            return length, 0.75
        if boundary and name_slots.own_cell(text, start, pos) and name_slots.pii_in_record(text, start):
            return length, 0.75
        if particle and reads_as_name(name, surname) and _particle_follows(text, start, pos):
            return length, 0.65
    return None


def _particle_follows(text: str, start: int, pos: int) -> bool:
    """What is glued to the name at `pos` is a particle (`이(가)` as written in forms, or as Kiwi
    reads the whole word)."""
    if text.startswith(("이(가)", "은(는)", "을(를)", "와(과)"), pos):
        return True
    end = pos
    while end < len(text) and "가" <= text[end] <= "힣" and end - pos < 4:
        end += 1
    return particle_follows(text[start:end], pos - start)
