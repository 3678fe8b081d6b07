"""Where people write names without a label: the slots around a Hangul word that say it is a name.

- a role word before it (`원고 도성훈`, `판사 윤가온`, `피  고  인  탁현우`, `담당변호사 구태민`);
- a title after it (`우범기 전주시장`, `김태오 귀하`);
- Hanja in brackets after it (`한소영 (韓昭英)`);
- a chat export's speaker field (`[박하린] [오후 3:07]`, `2024년 3월 2일 오후 8:15, 최윤서 : …`);
- a list of such words (`최민결, 이서담, 박도율 et al.`, `기하윤·용태식·명지수`, `경수빈¹, 왕도경²`);
- a table cell of its own (a headerless sheet's row, a tab- or comma-separated line, a column of an
  aligned table) in a row that also holds an ID, a phone number or a date.

Each test reads only the text around one candidate; the word itself is judged by name_shape.py.
Word lists: patterns/wordlists/korean_names.yaml (`role_words`, `title_words`).
"""

from __future__ import annotations

from functools import lru_cache

import regex

from pii_audit.resources import WORDLISTS, read_yaml

_WORDS = read_yaml(WORDLISTS / "korean_names.yaml")
ROLE_WORDS: tuple[str, ...] = tuple(_WORDS["role_words"])
TITLE_WORDS: tuple[str, ...] = tuple(_WORDS["title_words"])


def _spaced(word: str) -> str:
    return r"[ \t]*".join(regex.escape(ch) for ch in word)


# The role may be aligned with spaces between its syllables, may end a longer word (`현장소장`), and may
# be followed by `인` (`팀장인`), a colon, or a list number (`원  고  1. 도성훈`).
_ROLE_BEFORE = regex.compile(
    r"(?:" + "|".join(_spaced(w) for w in sorted(ROLE_WORDS, key=len, reverse=True)) + r")"
    r"(?:인|이신|인\s*|이던)?[ \t]*[:：]?[ \t]*(?:\d{1,2}[.)][ \t]*)?"
    # `작성: 인사팀 공서율`: the role, then the person's department
    r"(?:[가-힣]{1,8}(?:팀|과|실|부|처|국|센터|본부|학과)[ \t]+)?$"
)
# `name=하도윤`, `"author": "이서담"`, `담당자=김준`: the value of a key that names a person.
_KEY_BEFORE = regex.compile(
    r"(?im)(?:[a-z_]*(?:name|nm|author|owner|assignee|reporter|manager|contact|person|writer|user|sender"
    r"|recipient|receiver|customer|member|employee|patient|student|applicant|_by)[a-z_]*|\bby|^[ \t]*fn|^[ \t]*n"
    r"|이름|성명|담당자?|작성자)[\"']?[ \t]*[=:：;][ \t]*[\"']?$"
)
_TITLE_AFTER = regex.compile(
    r"[ \t]?(?:[가-힣]{0,4}(?:" + "|".join(sorted(TITLE_WORDS, key=len, reverse=True)) + r"))"
    r"(?:께서|에게|이|가|은|는|의|을|를|와|과|도|님|으로|로)?(?![가-힣])"
)
_HANJA_AFTER = regex.compile(r"[ \t]*[(（][ \t]*(?:한자[ \t]*[:：][ \t]*)?[\u3400-\u9fff\uf900-\ufaff]{2,4}[ \t]*[)）]")

# Chat exports: KakaoTalk PC (`[이름] [오후 3:07] …`) and mobile (`2024년 3월 2일 오후 8:15, 이름 : …`,
# `2024. 3. 2. 오후 8:15, 이름 : …`), and `[14:02] 이름: …` logs.
_CHAT = regex.compile(
    r"(?m)^[ \t]*\[(?P<a>[^\[\]\n]{1,24})\][ \t]*\[(?:오전|오후|AM|PM|am|pm)?[ \t]*\d{1,2}:\d{2}(?::\d{2})?\]"
    r"|^[ \t]*\d{4}[년.][ \t]*\d{1,2}[월.][ \t]*\d{1,2}[일.]?[ \t]*(?:오전|오후)?[ \t]*\d{1,2}:\d{2},[ \t]*"
    r"(?P<b>[^,:\n]{1,24}?)[ \t]*:[ \t]"
    r"|^[ \t]*\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+(?P<c>[^:\n\[\]]{1,24}?)[ \t]*:[ \t]"
)

# A list of names: items split by commas, middle dots or slashes; an item is a name with superscript
# marks (`¹`, `*`, `†`), a bracket (Hanja, a year, a role) or a title after it.
_SEPARATOR = regex.compile(r"[ \t]*(?:[,，、·ㆍ/;]|\bet al\b|[ \t]및[ \t])[ \t]*")
_ROLE_ALT = "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
_TITLE_ALT = "|".join(sorted({*TITLE_WORDS, *ROLE_WORDS}, key=lambda w: (-len(w), w)))
_ITEM = regex.compile(
    rf"[ \t]*(?:[^,:：\n]{{0,16}}[:：][ \t]*)?(?:[가-힣]{{0,4}}(?:{_ROLE_ALT})[ \t]+)?"
    r"(?P<w>[가-힣]{2,5})(?![가-힣])"
)
_ITEM_REST = regex.compile(
    rf"[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡\d]*[ \t]*(?:[(（][^()（）\n]{{0,20}}[)）])?[ \t]*(?:[가-힣]{{0,4}}(?:{_TITLE_ALT}))?[ \t]*"
)
_ITEM_RUN_ON = regex.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡\d]*[ \t]*(?:[(（][^()（）\n]{0,20}[)）]|\.|et al)")

# What a row of a roster holds beside a name: an RRN or FRN, a mobile or landline number, a date.
_ROW_PII = regex.compile(
    r"(?<!\d)\d{6}[ \t]?[-\u2010-\u2015]?[ \t]?[0-9]\d{6}(?!\d)"
    r"|(?<!\d)0\d{1,2}[-. )]?\d{3,4}[-. ]?\d{4}(?!\d)"
    r"|(?<!\d)(?:19|20)?\d{2}[-./년][ \t]?\d{1,2}[-./월][ \t]?\d{1,2}(?!\d)"
    r"|@[A-Za-z0-9-]+\."
)
_CELL_BEFORE = regex.compile(
    r"(?:^[ \t]*(?:\d{1,4}[.)]?[ \t]+)?|[\t,;|][ \t]*|[ \t]/[ \t]|[ \t]{2,})$", regex.MULTILINE
)
_CELL_AFTER = regex.compile(r"[ \t]*(?:$|[\t,;|]|/[ \t])|[ \t]{2,}", regex.MULTILINE)


_ROLE_LAST = frozenset(w[-1] for w in ROLE_WORDS)
_DEPARTMENT_LAST = frozenset("팀과실부처국터과")
_HEAD_TAIL = regex.compile(r"[ \t:：\d.)]*$")


def role_before(head: str) -> bool:
    """`head` (the line before a candidate) ends with a role word."""
    # Cheap gate: the last syllable before the name must end a role word (or a department after one).
    rest = head[: _HEAD_TAIL.search(head).start()]
    last = rest[-1:] if rest else ""
    if not last or last not in _ROLE_LAST and last not in _DEPARTMENT_LAST and last != "인":
        return False
    return _ROLE_BEFORE.search(head[-24:]) is not None


def key_before(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return _KEY_BEFORE.search(text, max(line_start, start - 30), start) is not None


def title_after(text: str, pos: int) -> bool:
    return _TITLE_AFTER.match(text, pos) is not None


def hanja_after(text: str, pos: int) -> bool:
    return _HANJA_AFTER.match(text, pos) is not None


@lru_cache(maxsize=256)
def chat_speakers(text: str) -> frozenset[tuple[int, int]]:
    """Spans of the speaker fields of chat-export lines in `text`."""
    spans = set()
    if ":" not in text:
        return frozenset()
    for m in _CHAT.finditer(text, timeout=1.0):
        for group in ("a", "b", "c"):
            if m.group(group):
                start, end = m.span(group)
                value = text[start:end]
                start += len(value) - len(value.lstrip())
                end -= len(value) - len(value.rstrip())
                spans.add((start, end))
    return frozenset(spans)


def list_items(line: str) -> list[tuple[int, int]]:
    """(start, end) in `line` of the words that stand alone as items of a list (`A, B, C`; `A·B`;
    `A¹, B²*`; `참석자: 회장 A(101동), B`): a Hangul word after the separator (a label or a role word
    before it allowed), with only superscripts, a short bracket or a title after it. The last item
    may run on after its bracket or a full stop (`박도율 et al. (2021). 제목`)."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in _SEPARATOR.finditer(line):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(line)))
    out = []
    for i, (start, end) in enumerate(bounds):
        m = _ITEM.match(line, start, end)
        if m is None:
            continue
        rest = line[m.end("w") : end]
        if _ITEM_REST.fullmatch(rest) or i == len(bounds) - 1 and _ITEM_RUN_ON.match(rest):
            out.append(m.span("w"))
    return out


def own_cell(text: str, start: int, end: int) -> bool:
    """The candidate fills a cell of its own: between line start, tabs, commas, pipes or wide gaps."""
    line_start = text.rfind("\n", 0, start) + 1
    if _CELL_BEFORE.search(text, max(line_start, start - 40), start) is None:
        return False
    return _CELL_AFTER.match(text, end) is not None


def pii_in_record(text: str, start: int) -> bool:
    """The candidate's record holds an ID, a phone number, a date or an e-mail: its line, or the
    lines of its paragraph within four lines (a table row rendered one cell per line)."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", start)
    para_end = len(text) if para_end < 0 else para_end
    lo = para_start
    for _ in range(4):
        prev = text.rfind("\n", para_start, lo - 1) if lo > para_start else -1
        if prev < 0:
            lo = para_start
            break
        lo = prev + 1
    hi = start
    for _ in range(5):
        nxt = text.find("\n", hi + 1, para_end)
        if nxt < 0:
            hi = para_end
            break
        hi = nxt
    return _ROW_PII.search(text, lo, hi) is not None
