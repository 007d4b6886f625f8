"""An outbound message's life after the create call: queued → sending → sent → delivered
(→ read on WhatsApp), or a failure, with a signed status callback for every change."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.twilio_sim.errors import message_for
from bot.twilio_sim.faults import DeliveryFailure
from bot.twilio_sim.resource import API_VERSION
from bot.twilio_sim.segments import count_segments
from bot.twilio_sim.state import SimState
from bot.twilio_sim.store import SimMessage

# A fixed, Twilio-shaped channel install SID for the simulated WhatsApp sender.
WHATSAPP_INSTALL_SID = "XE" + "5" * 32
EVENT_TYPES = {"delivered": "DELIVERED", "read": "READ", "undelivered": "UNDELIVERED", "failed": "FAILED"}


@dataclass(frozen=True)
class Step:
    status: str
    delay: float
    error_code: int | None = None


def lifecycle(message: SimMessage, failure: DeliveryFailure | None, step: float, read_delay: float) -> list[Step]:
    steps: list[Step] = []
    if message.status == "accepted":  # a Messaging Service picks the sender first
        steps.append(Step("queued", step))
    steps.append(Step("sending", step))
    if failure is not None and failure.status == "failed":
        return [*steps, Step("failed", step, failure.code)]
    steps.append(Step("sent", step))
    if failure is not None:
        return [*steps, Step("undelivered", step, failure.code)]
    steps.append(Step("delivered", step))
    if message.channel == "whatsapp" and read_delay >= 0:
        steps.append(Step("read", read_delay))
    return steps


def status_callback_params(message: SimMessage, account_sid: str) -> dict[str, str]:
    """The form Twilio posts to a StatusCallback URL."""
    params = {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "MessageStatus": message.status,
        "SmsStatus": message.status,
        "AccountSid": account_sid,
        "From": message.from_ or "",
        "To": message.to,
        "ApiVersion": API_VERSION,
    }
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    if message.error_code is not None and message.status in ("failed", "undelivered"):
        params["ErrorCode"] = str(message.error_code)
    if message.channel == "whatsapp":
        params.update(
            ChannelPrefix="whatsapp", ChannelToAddress=message.customer, ChannelInstallSid=WHATSAPP_INSTALL_SID
        )
        if message.status in EVENT_TYPES:
            params["EventType"] = EVENT_TYPES[message.status]
        if message.status == "sent":
            params["StructuredMessage"] = "false"
    elif message.status in ("delivered", "undelivered") and message.date_updated is not None:
        params["RawDlrDoneDate"] = message.date_updated.strftime("%y%m%d%H%M")
    return params


async def run_lifecycle(state: SimState, sid: str, failure: DeliveryFailure | None) -> None:
    message = state.store.get(sid)
    if message is None:
        return
    config = state.config
    for step in lifecycle(message, failure, config.step_delay, config.read_delay):
        await asyncio.sleep(step.delay)
        now = state.clock.now()
        changes: dict[str, object] = {"status": step.status}
        if step.status == "queued" and message.from_ is None:
            changes["from_"] = config.sender_for(message.channel)
            changes["num_segments"] = 1 if message.channel == "whatsapp" else count_segments(message.body)
        if step.status == "sent":
            changes["date_sent"] = now
        if step.error_code is not None:
            changes["error_code"] = step.error_code
            changes["error_message"] = message_for(step.error_code)
        updated = state.store.update(sid, now, **changes)
        if updated is None:  # deleted meanwhile
            return
        message = updated
        if message.status_callback:
            await state.poster.post(
                "status", message.status_callback, sid, status_callback_params(message, config.account_sid)
            )


def start_lifecycle(state: SimState, message: SimMessage, failure: DeliveryFailure | None) -> None:
    state.tasks.spawn(run_lifecycle(state, message.sid, failure), name=f"lifecycle-{message.sid}")
