"""Opt-out in the customer's own words through the whole stack (real Rasa, action server,
gateway, PostgreSQL, the Twilio simulator): "stop texting me please" opts out like STOP on
every path, the app confirms it (Twilio acts only on its exact keywords, so here it
neither answers nor blocks), and the app's own record keeps the outreach reminders, the
follow-ups and the bot silent until START."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from bot.cli.context import AppContext
from bot.cli.main import cli
from bot.models import OptOut
from bot.settings import Settings
from tests.e2e.stack import TOKEN, Stack, running_stack
from tests.e2e.test_gateway import complete_a_repair, feedback_tick, wait_processed
from tests.support.demo import seed_demo

pytestmark = pytest.mark.rasa
CAMPAIGN = "arctica-ff260-valve-2026"


@pytest.fixture(scope="module")
def stack(rasa_model) -> Iterator[Stack]:
    with running_stack(rasa_model, seed_demo) as running:
        yield running


def _outreach(stack: Stack, command: str, *extra: str) -> str:
    settings = Settings(
        database_url=stack.database_url,
        twilio_api_url=stack.sim.base_url,
        twilio_auth_token=TOKEN,
        twilio_account_sid=stack.sim.config.account_sid,
    )
    result = CliRunner().invoke(
        cli,
        ["outreach", command, "--campaign", CAMPAIGN, "--ignore-quiet-hours", *extra],
        obj=AppContext(settings=settings),
    )
    assert result.exit_code == 0, result.output
    return result.output


def _from_twilio(stack: Stack, phone: str) -> list[str]:
    """Twilio's own keyword answers (not the app's) to `phone`."""
    return [m["body"] for m in stack.sim.messages(phone) if m["direction"] == "outbound-reply"]


def _opt_out(stack: Stack, phone: str) -> OptOut | None:
    with stack.db() as s:
        return s.scalar(select(OptOut).where(OptOut.phone == phone))


def test_answering_the_notice_stop_texting_me_please(stack):
    asha = "+919812300001"
    _outreach(stack, "start", "--limit", "2")
    notified = {m["to"] for m in stack.sim.messages() if m["direction"] == "outbound-api"}
    assert asha in {to.removeprefix("whatsapp:") for to in notified} and len(notified) == 2
    seen = stack.outbound_count(asha)

    stack.sim.send(asha, "stop texting me please")
    [confirmation] = stack.replies(asha, after=seen)
    assert "unsubscribed" in confirmation["body"] and "Reply START" in confirmation["body"]
    assert _from_twilio(stack, asha) == []  # a phrase: Twilio neither answers nor blocks
    row = _opt_out(stack, asha)
    assert (row.source, row.opted_in_at) == ("phrase", None)
    assert stack.recall_customer(asha)["opted_out"] is True

    stack.sim.send(asha, "my serial is AR26D004512")  # the bot stays silent
    wait_processed(stack, asha)
    assert stack.outbound_count(asha) == seen + 1

    # Four days later the reminders are due: the other notified customer gets one, Asha none.
    with stack.db() as s:
        s.execute(text("UPDATE outreach_attempts SET attempted_at = attempted_at - interval '4 days'"))
        s.commit()
    before = {phone: stack.outbound_count(phone) for phone in {to.removeprefix("whatsapp:") for to in notified}}
    assert "sent 1" in _outreach(stack, "tick")
    assert stack.outbound_count(asha) == before[asha]
    assert sum(stack.outbound_count(phone) for phone in before) == sum(before.values()) + 1

    stack.sim.send(asha, "START")  # back in: Twilio answers START on SMS, the bot talks again
    stack.sim.send(asha, "AR26D004512")
    back = stack.replies(asha, after=seen + 1)
    assert back and "is one of the affected" in " ".join(m["body"] for m in back)
    assert _opt_out(stack, asha).opted_in_at is not None
    assert stack.recall_customer(asha)["opted_out"] is False


def test_no_more_messages_after_the_repair_means_no_feedback_question_until_start(stack):
    rahul = "+919812300004"
    stack.sim.send(rahul, "hi")
    seen = len(stack.replies(rahul))
    complete_a_repair(stack.database_url, rahul)
    stack.sim.send(rahul, "fridge is fine now. pls no more msgs")
    [confirmation] = stack.replies(rahul, after=seen)
    assert "Reply START" in confirmation["body"]
    assert "feedback asked 0" in feedback_tick(stack)
    wait_processed(stack, rahul)
    assert stack.outbound_count(rahul) == seen + 1

    stack.sim.send(rahul, "start")
    wait_processed(stack, rahul)
    assert "feedback asked 1" in feedback_tick(stack)
    question = stack.replies(rahul, after=seen + 1)
    assert question and "How did the repair go?" in question[0]["body"]


def test_while_a_person_has_the_conversation(stack):
    arjun = "+919812300006"
    stack.sim.send(arjun, "I want to talk to a real person")
    told = stack.replies(arjun)
    assert "person from our team will reply" in " ".join(m["body"] for m in told)
    seen = stack.outbound_count(arjun)
    stack.sim.send(arjun, "hello?? anyone")  # for the agent: the bot says nothing
    stack.sim.send(arjun, "forget it, just leave me alone")
    [confirmation] = stack.replies(arjun, after=seen)
    assert "unsubscribed" in confirmation["body"] and "Reply START" in confirmation["body"]
    wait_processed(stack, arjun)
    assert stack.outbound_count(arjun) == seen + 1
    assert _opt_out(stack, arjun).source == "phrase"


def test_on_whatsapp_with_typos(stack):
    rohan = "+919812300008"
    stack.sim.send(rohan, "hi", channel="whatsapp")
    seen = len(stack.replies(rohan))
    stack.sim.send(rohan, "Unsubcribe me from this plz!!", channel="whatsapp")
    [confirmation] = stack.replies(rohan, after=seen)
    assert confirmation["to"].startswith("whatsapp:") and "Reply START" in confirmation["body"]
    assert _opt_out(stack, rohan).source == "phrase"


def test_the_same_words_in_another_sense_reach_the_bot(stack):
    kavya = "+919812300007"
    seen = 0
    for body in ("my fridge wont stop making noise", "don't message me before 10am", "can you stop the booking"):
        stack.sim.send(kavya, body)
        replies = stack.replies(kavya, after=seen)
        assert replies and not any("unsubscribed" in m["body"] for m in replies), body
        wait_processed(stack, kavya)
        seen = stack.outbound_count(kavya)
    assert _opt_out(stack, kavya) is None
