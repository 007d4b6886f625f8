"""A turn that Rasa answered with nothing: is the action server down?

Rasa 3.6 logs a failed call to the action server and carries on without the action's
events, so the REST channel answers with no text at all. Only then — nothing extra
when all is well — the gateway asks the action server's /health; when it does not
answer, the customer hears an apology and a person takes over (escalation
`system_error`, `bot.services.system_errors`). Once per failure: the escalation pauses
the bot, so the customer's next messages go to the console, not to Rasa."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence

import httpx
from sqlalchemy.orm import Session, sessionmaker

from bot.campaigns.definition import CampaignDefinition
from bot.gateway.turns import TurnKind
from bot.services.system_errors import apology, record_system_error

HealthProbe = Callable[[], Awaitable[bool]]  # True when the action server answers
ACTION_SERVER_DOWN = "action server unreachable"


def needs_action_server_check(kind: TurnKind, replies: Sequence[str]) -> bool:
    """Only an ordinary message (one Rasa handled) that got no text back."""
    return kind is TurnKind.DIALOGUE and not any(text.strip() for text in replies)


async def http_ok(url: str, timeout: float = 3, *, client: httpx.AsyncClient | None = None) -> bool:
    """GET `url` answers 200 within `timeout` seconds (on `client` when given)."""
    try:
        if client is not None:
            return (await client.get(url, timeout=timeout)).status_code == 200
        async with httpx.AsyncClient(timeout=timeout) as own:
            return (await own.get(url)).status_code == 200
    except httpx.HTTPError:
        return False


def escalate_system_failure(
    factory: sessionmaker[Session],
    *,
    customer_id: int,
    message_id: int,
    body: str,
    definition: CampaignDefinition,
    now: dt.datetime,
) -> list[str]:
    """Record the escalation (pausing the bot); the apology to send."""
    with factory.begin() as session:
        record_system_error(
            session, customer_id=customer_id, text=body, message_id=message_id, failure=ACTION_SERVER_DOWN
        )
    return [apology(definition, now)]
