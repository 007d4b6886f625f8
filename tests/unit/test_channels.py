"""The one Channel and the `whatsapp:` address helpers every module uses."""

import pytest

from bot.domain.channels import Channel, address_of, split_address, whatsapp_address


@pytest.mark.parametrize(
    ("phone", "address"),
    [
        ("+919812300001", "whatsapp:+919812300001"),
        (" +919812300001 ", "whatsapp:+919812300001"),
        ("whatsapp:+919812300001", "whatsapp:+919812300001"),  # already an address: kept
    ],
)
def test_whatsapp_address(phone, address):
    assert whatsapp_address(phone) == address


def test_address_of_each_channel():
    assert address_of(Channel.WHATSAPP, "+919812300001") == "whatsapp:+919812300001"
    assert address_of(Channel.SMS, "+919812300001") == "+919812300001"


@pytest.mark.parametrize("channel", list(Channel))
def test_split_address_reverses_address_of(channel):
    assert split_address(address_of(channel, "+919812300001")) == (channel, "+919812300001")


def test_split_address_gives_the_enum():
    assert split_address("whatsapp:+919812300001")[0] is Channel.WHATSAPP
    assert split_address("+919812300001")[0] is Channel.SMS


def test_models_re_export_the_domain_enums():
    from bot.domain.remedy_states import RequestKind, RequestStatus
    from bot.models import Channel as ModelChannel
    from bot.models import RequestKind as ModelKind
    from bot.models import RequestStatus as ModelStatus

    assert (ModelChannel, ModelKind, ModelStatus) == (Channel, RequestKind, RequestStatus)
