"""After the visit, for the end-to-end conversations: the customer's repair recorded as complete
and the feedback question asked, as the follow-up job asks it (`bot/followup/job.py`)."""

from __future__ import annotations

from sqlalchemy import update

from bot.db import make_engine, make_session_factory
from bot.followup.job import INTENTS, RasaTrigger
from bot.models import Customer, Remedy, utcnow


def repair_done_and_feedback_asked(dialogue, chat) -> str:
    """Mark the repair of `chat`'s customer complete, trigger the feedback question through
    Rasa (`dialogue`: the e2e `Dialogue`), and return the bot's replies."""
    factory = make_session_factory(make_engine(dialogue.database_url))
    with factory.begin() as s:
        s.execute(
            update(Customer).where(Customer.phone == chat.phone).values(completed_at=utcnow(), remedy=Remedy.REPAIR)
        )
    rasa = RasaTrigger(dialogue.stack.rasa_url, dialogue.stack.rasa_token)
    try:
        return "\n".join(rasa.trigger(chat.sender_id, INTENTS["feedback"]))
    finally:
        rasa.close()
