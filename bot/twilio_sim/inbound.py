"""A customer's phone sends a message: store it (and its photo), apply Twilio's SMS opt-out
keywords, and post the signed incoming-message webhook to the app. A photo's MediaUrl is
its Media resource's content URL, which needs the account's credentials, as at Twilio."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.twilio_sim.addresses import Channel, region_of
from bot.twilio_sim.optout import REPLIES, keyword_of
from bot.twilio_sim.outbound import media_type, send_reply
from bot.twilio_sim.resource import API_VERSION, media_uri
from bot.twilio_sim.segments import count_segments
from bot.twilio_sim.sids import new_sid
from bot.twilio_sim.state import SimState
from bot.twilio_sim.store import MediaRef, SimMessage, WebhookDelivery
from bot.twilio_sim.twiml import looks_like_twiml, parse_messages

MAX_MEDIA = 10


@dataclass(frozen=True)
class Upload:
    data: bytes
    content_type: str
    filename: str = "photo"


def receive(
    state: SimState, phone: str, channel: Channel, body: str, uploads: Sequence[Upload], base_url: str
) -> SimMessage:
    """Store the customer's message as Twilio would (status `received`) and apply opt-outs."""
    config, store = state.config, state.store
    sender = config.sender_for(channel)
    now = state.clock.now()
    sid = new_sid("MM" if uploads else "SM")
    media = []
    for upload in uploads[:MAX_MEDIA]:
        stored = store.put_media(upload.data, upload.content_type, upload.filename, sid, now)
        url = state.public_url(base_url) + media_uri(config.account_sid, sid, stored.sid)
        media.append(MediaRef(url, upload.content_type, stored.sid))
    message = store.add_message(
        SimMessage(
            sid=sid,
            direction="inbound",
            channel=channel,
            customer=phone,
            from_=f"whatsapp:{phone}" if channel == "whatsapp" else phone,
            to=sender,
            body=body,
            status="received",
            date_created=now,
            date_updated=now,
            date_sent=now,
            num_segments=1 if channel == "whatsapp" else count_segments(body),
            messaging_service_sid=config.messaging_service_sid or None,
            media=media,
        )
    )
    store.note_inbound(phone, sender, now)
    if channel == "sms":
        keyword = keyword_of(body)
        if keyword == "stop":
            store.set_opted_out(phone, sender, True)
        elif keyword == "start":
            store.set_opted_out(phone, sender, False)
        if keyword is not None and config.auto_replies:
            send_reply(state, phone, "sms", REPLIES[keyword])
    return message


def webhook_params(message: SimMessage, state: SimState) -> dict[str, str]:
    """Twilio's incoming-message webhook form."""
    config = state.config
    params = {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "SmsMessageSid": message.sid,
        "AccountSid": config.account_sid,
        "From": message.from_ or "",
        "To": message.to,
        "Body": message.body,
        "NumMedia": str(message.num_media),
        "NumSegments": str(message.num_segments),
        "SmsStatus": "received",
        "ApiVersion": API_VERSION,
    }
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    for i, media in enumerate(message.media):
        params[f"MediaUrl{i}"] = media.url
        params[f"MediaContentType{i}"] = media.content_type
    if message.channel == "whatsapp":
        params["ProfileName"] = state.store.phone_name(message.customer) or message.customer
        params["WaId"] = message.customer.lstrip("+")
        params["MessageType"] = "image" if message.media else "text"
        params["ReferralNumMedia"] = "0"
    else:
        from_country, to_country = region_of(message.customer), region_of(message.to)
        params.update(
            FromCountry=from_country,
            FromState="",
            FromCity="",
            FromZip="",
            ToCountry=to_country,
            ToState="",
            ToCity="",
            ToZip="",
        )
    return params


async def deliver(state: SimState, message: SimMessage) -> WebhookDelivery | None:
    """Post the webhook (no retries, as Twilio) and send any <Message> the app answered with."""
    url = state.config.inbound_url
    if not url:
        return None
    result = await state.poster.post("incoming", url, message.sid, webhook_params(message, state))
    if result.delivery.ok and looks_like_twiml(result.body, result.content_type):
        for reply in parse_messages(result.body):
            blocked = None
            if message.channel == "sms" and state.store.is_opted_out(message.customer, message.to):
                blocked = 21610
            send_reply(
                state,
                message.customer,
                message.channel,
                reply.body,
                [MediaRef(u, media_type(u)) for u in reply.media],
                reply.status_callback,
                blocked,
            )
    return result.delivery


def start_delivery(state: SimState, message: SimMessage) -> None:
    state.tasks.spawn(deliver(state, message), name=f"incoming-{message.sid}")
