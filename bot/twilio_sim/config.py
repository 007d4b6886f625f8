"""The simulator's configuration: the Twilio account it pretends to be and the app it calls."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

WindowRule = Literal["reject", "fail"]


@dataclass(frozen=True)
class SimConfig:
    """Everything a simulator instance needs; all values have demo-friendly defaults.

    `sms_number` is an E.164 number; `whatsapp_number` may be written with or without the
    `whatsapp:` prefix. `inbound_url` is the app's incoming-message webhook (empty: inbound
    messages are stored but not posted). `public_url` is the simulator's own base URL as the
    app reaches it, used in MediaUrl links (empty: taken from the request that created the
    message).
    """

    account_sid: str = "AC00000000000000000000000000000000"
    auth_token: str = "demo-auth-token-not-a-secret"
    sms_number: str = "+15005550006"
    whatsapp_number: str = "whatsapp:+14155238886"
    inbound_url: str = ""
    public_url: str = ""
    # MG… SID the account owns. Empty: any well-formed MG SID is accepted.
    messaging_service_sid: str = ""
    # Used when a create call names no StatusCallback (as a Messaging Service's callback).
    default_status_callback: str = ""
    # Seconds between two status changes (queued → sending → sent → delivered).
    step_delay: float = 0.3
    # Seconds between `delivered` and `read` (WhatsApp only); negative: never read.
    read_delay: float = 1.0
    # Twilio gives a webhook 15 s to answer.
    webhook_timeout: float = 15.0
    # WhatsApp free-form outside the 24-hour window: "reject" answers the create call with
    # HTTP 400 / 63016; "fail" accepts it (201) and fails the message with 63016, as Twilio does.
    whatsapp_window: WindowRule = "reject"
    # Twilio's default replies to STOP / START / HELP on SMS.
    auto_replies: bool = True
    # Content templates the account owns: ContentSid (HX…) → text with {{1}}-style variables.
    templates: Mapping[str, str] = field(default_factory=dict)
    # Region for numbers typed without a country code on the phones page (None: E.164 only).
    default_region: str | None = None

    @property
    def whatsapp_address(self) -> str:
        number = self.whatsapp_number.strip()
        return number if number.lower().startswith("whatsapp:") else f"whatsapp:{number}"

    def sender_for(self, channel: str) -> str:
        return self.whatsapp_address if channel == "whatsapp" else self.sms_number
