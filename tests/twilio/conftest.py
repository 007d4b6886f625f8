from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.settings import Settings
from tests.twilio.fake_twilio import FakeTwilio
from tests.twilio.support import ACCOUNT_SID, AUTH_TOKEN


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    server = FakeTwilio().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(fake: FakeTwilio) -> Settings:
    return Settings(
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_api_url=fake.base_url,
        twilio_sms_from="+15005550006",
        twilio_messaging_service_sid="",
        twilio_whatsapp_from="whatsapp:+14155238886",
        public_base_url="https://recall.example.com",
    )
