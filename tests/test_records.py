from pii_audit.records import Linked, link

KEY = b"k" * 32


def L(block: int, start: int, typ: str, fp: str, row: bool = False, nk: bool = False) -> Linked:
    return Linked(block=block, row=row, start=start, entity_type=typ, fingerprint=fp, north_korean=nk)


def test_a_table_row_is_one_record() -> None:
    recs = link(
        KEY, [L(0, 0, "PERSON", "n1", True), L(0, 10, "DATE_OF_BIRTH", "d1", True), L(0, 20, "ADDRESS", "a1", True)]
    )
    assert len(recs) == 1 and recs[0].identity_complete


def test_prose_values_belong_to_the_name_before_them() -> None:
    recs = link(
        KEY,
        [
            L(0, 0, "PERSON", "staff"),
            L(0, 10, "PERSON", "p"),
            L(0, 20, "DATE_OF_BIRTH", "d"),
            L(0, 30, "ADDRESS", "a"),
            L(0, 40, "PERSON", "cousin"),
            L(0, 50, "PHONE_NUMBER", "ph"),
        ],
    )
    assert [r.exposed for r in recs] == [False, True, False]
    assert recs[1].identity_complete


def test_a_hometown_is_not_a_residential_address() -> None:
    (rec,) = link(KEY, [L(0, 0, "PERSON", "n"), L(0, 5, "ADDRESS", "h", nk=True)])
    assert not rec.exposed and "NK_HOMETOWN" in rec.entity_types


def test_one_rrn_is_one_person_key() -> None:
    a = link(KEY, [L(0, 0, "KR_RRN", "r", True), L(0, 5, "ADDRESS", "x", True)])
    b = link(KEY, [L(1, 0, "KR_RRN", "r", True), L(1, 5, "ADDRESS", "y", True)])
    assert a[0].key == b[0].key


def test_row_record_is_link_of_one_row() -> None:
    from pii_audit.records import row_record

    rows = [
        [L(0, 9, "ADDRESS", "a", row=True), L(0, 0, "PERSON", "n", row=True), L(0, 4, "DATE_OF_BIRTH", "b", row=True)],
        [L(0, 3, "PERSON", "n2", row=True), L(0, 0, "PERSON", "n1", row=True)],
        [L(0, 0, "ADDRESS", "x", row=True, nk=True)],
        [L(0, 0, "KR_RRN", "r", row=True), L(0, 2, "PHONE_NUMBER", "p", row=True)],
    ]
    for items in rows:
        assert (row_record(KEY, items),) == link(KEY, items)


def test_records_read_only_the_fingerprints_of_keyed_types() -> None:
    """The tally leaves the fingerprint of a finding it does not list empty unless its type is in
    KEYED_TYPES: no record may change when the others' fingerprints are blanked."""
    import itertools

    from pii_audit.records import KEYED_TYPES, row_record

    types = ["PERSON", "DATE_OF_BIRTH", "KR_RRN", "KR_PASSPORT", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS"]
    checked = 0
    for combo in itertools.chain.from_iterable(itertools.combinations(types, n) for n in range(1, 4)):
        for row in (True, False):
            items = [L(0, 5 * i, t, f"fp{i}", row=row, nk=t == "ADDRESS" and i % 2 == 1) for i, t in enumerate(combo)]
            blank = [i._replace(fingerprint="") if i.entity_type not in KEYED_TYPES else i for i in items]
            assert link(KEY, items) == link(KEY, blank)
            if row:
                assert row_record(KEY, items) == row_record(KEY, blank)
            checked += 1
    assert checked > 100


def _reference_record(key: bytes, items: list[Linked]) -> object:
    """`_record` as it was written before its one-pass form: the two must agree."""
    from pii_audit.fingerprint import combine
    from pii_audit.model import PersonRecord, type_set
    from pii_audit.records import ID_TYPES

    types = {i.entity_type for i in items if not (i.entity_type == "ADDRESS" and i.north_korean)}
    if any(i.entity_type == "ADDRESS" and i.north_korean for i in items):
        types.add("NK_HOMETOWN")
    ids = sorted(i.fingerprint for i in items if i.entity_type in ("KR_RRN", "KR_FRN"))
    names = [i.fingerprint for i in items if i.entity_type == "PERSON"]
    births = [i.fingerprint for i in items if i.entity_type == "DATE_OF_BIRTH"]
    person_key = None
    if ids:
        person_key = ids[0]
    elif names:
        person_key = combine(key, names[0], births[0]) if births else names[0]
    elif any(i.entity_type in ID_TYPES for i in items):
        person_key = sorted(i.fingerprint for i in items if i.entity_type in ID_TYPES)[0]
    return PersonRecord(entity_types=type_set(types), key=person_key)


def test_one_pass_record_is_the_reference() -> None:
    import random

    from pii_audit.records import _record

    rng = random.Random(16)
    types = ["PERSON", "DATE_OF_BIRTH", "KR_RRN", "KR_FRN", "KR_PASSPORT", "US_SSN", "ADDRESS", "PHONE_NUMBER"]
    for _ in range(2000):
        items = [
            L(0, rng.randrange(50), rng.choice(types), f"{rng.randrange(6):024x}", nk=rng.random() < 0.3)
            for _ in range(rng.randrange(0, 7))
        ]
        assert _record(KEY, items) == _reference_record(KEY, items)
