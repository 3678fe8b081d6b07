import pytest

from pii_audit.mask import mask


@pytest.mark.parametrize(
    ("entity", "value", "expected"),
    [
        ("PERSON", "김철수", "김*수"),
        ("PERSON", "김준", "김*"),
        ("PERSON", "남궁민수", "남**수"),
        ("KR_RRN", "900101-1234568", "900101-1******"),
        ("DATE_OF_BIRTH", "1985-07-02", "1985-**-**"),
        ("ADDRESS", "서울특별시 노원구 노원로 270", "서울특별시 노원구 ***"),
        ("EMAIL_ADDRESS", "boram97@hana.example.org", "b***@hana.example.org"),
        ("PHONE_NUMBER", "010-6306-3296", "010-****-**96"),
    ],
)
def test_masks_keep_only_the_kind(entity: str, value: str, expected: str) -> None:
    assert mask(entity, value) == expected


def test_mask_never_returns_the_value_for_long_values() -> None:
    for entity in ("PERSON", "KR_RRN", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "KR_PASSPORT", "DATE_OF_BIRTH"):
        value = "M12345678" if entity == "KR_PASSPORT" else "홍길동동" if entity == "PERSON" else "1985-07-02"
        assert mask(entity, value) != value
