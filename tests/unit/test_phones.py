import pytest

from bot.domain.channels import split_address
from bot.domain.phones import InvalidPhone, is_mobile, mask_phone, normalise_phone, phone_region


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+919812300001", None, "+919812300001"),
        ("98123 00001", "IN", "+919812300001"),
        ("098123 00001", "IN", "+919812300001"),
        ("+91-98123-00001", "US", "+919812300001"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("whatsapp:+14155552671", None, "+14155552671"),
        ("  +44 7911 123456 ", "IN", "+447911123456"),
    ],
)
def test_normalise_phone(raw, region, expected):
    assert normalise_phone(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "region", "reason"),
    [
        ("", "IN", "phone is empty"),
        ("12345", "IN", "not a valid number"),
        ("hello", "IN", "not a phone number"),
        ("9812300001", None, "no country code"),
        ("+91 12", None, "not"),
    ],
)
def test_invalid_phones_say_why(raw, region, reason):
    with pytest.raises(InvalidPhone, match=reason):
        normalise_phone(raw, region)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("whatsapp:+919812300001", ("whatsapp", "+919812300001")),
        ("WhatsApp:+919812300001", ("whatsapp", "+919812300001")),
        ("+919812300001", ("sms", "+919812300001")),
    ],
)
def test_split_address(address, expected):
    assert split_address(address) == expected


def test_region_mobile_and_mask():
    assert phone_region("+919812300001") == "IN"
    assert phone_region("+14155552671") == "US"
    assert is_mobile("+919812300001")
    assert mask_phone("+919812300001") == "+91******0001"
