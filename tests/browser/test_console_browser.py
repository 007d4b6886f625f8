"""The console in a real browser (Debian's chromium through Playwright) on the whole
stack: the app, Rasa, the action server, PostgreSQL and the Twilio simulator, whose
phones page is the customer's phone.

Two browser contexts: an agent in the console, a customer on the phones page. The
customer gets angry → the escalation appears in the agent's queue without a reload (with
the alert) → the agent claims and replies → the phone shows the reply → a `<script>` the
customer sends shows as text → the agent hands back → the bot answers the next message."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.services.agents import add_agent
from tests.browser.support import log_in
from tests.e2e.stack import Stack, running_stack
from tests.support.demo import seed_demo

pytestmark = [pytest.mark.rasa, pytest.mark.postgres]
AGENT = "priya@support.example"
PASSWORD = "a long enough password 42"
PHONE = "+919812300001"  # Asha Rao, a demo buyer
WAIT_MS = 30_000


def _seed_with_agent(url: str) -> None:
    seed_demo(url)
    from bot.db import make_engine, make_session_factory

    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        add_agent(session, AGENT, PASSWORD, "agent")
    engine.dispose()


@pytest.fixture(scope="module")
def stack(rasa_model) -> Iterator[Stack]:
    with running_stack(rasa_model, _seed_with_agent) as running:
        yield running


def _phone(browser: Browser, stack: Stack) -> Page:
    phone = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    phone.goto(f"{stack.sim.base_url}/?phone={PHONE.replace('+', '%2B')}")
    return phone


def _send_sms(phone: Page, text: str) -> None:
    thread = phone.locator("article.thread-sms")
    thread.locator("textarea[name=body]").fill(text)
    thread.locator("button[type=submit]").click()
    expect(thread.locator("li.bubble p.text", has_text=text).last).to_be_visible(timeout=WAIT_MS)


def _sms_bubbles(phone: Page):
    return phone.locator("article.thread-sms li.bubble p.text")


def test_an_angry_customer_reaches_an_agent_and_back_to_the_bot(browser: Browser, stack: Stack, screenshots):
    console = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    log_in(console, f"{stack.app.url}/console", AGENT, PASSWORD)
    expect(console.locator("h1", has_text="Waiting for a person")).to_be_visible()
    expect(console.locator("p.empty", has_text="Nobody is waiting")).to_be_visible()
    expect(console.locator("#nav-badge")).to_have_text("0")
    console.evaluate("window.__sameDocument = true")  # gone if the page reloads

    phone = _phone(browser, stack)
    _send_sms(phone, "This is USELESS!!! Your fridge is garbage and nobody helps me")

    row = console.locator("tr[data-escalation]", has_text="Your fridge is garbage")
    expect(row).to_be_visible(timeout=WAIT_MS)
    assert console.evaluate("window.__sameDocument") is True, "the queue reloaded instead of updating live"
    expect(console.locator("#nav-badge")).to_have_text("1")
    expect(console.locator("#alert")).to_contain_text("complain", timeout=WAIT_MS)
    assert console.evaluate("window.recallAlerts") >= 1
    assert console.evaluate("window.recallAlertSounds") >= 1  # the beep played (Web Audio)
    assert re.match(r"\(1\) ", console.title())
    expect(row.locator("td").first).to_have_text("high")
    console.screenshot(path=str(screenshots / "console-queue.png"))

    row.locator("button[data-action=claim]").click()
    expect(console.locator("h1", has_text="Asha Rao")).to_be_visible()
    expect(console.locator("#fact-serial")).to_contain_text("AR26D004512")
    unit_row = console.locator('#units-table tr[data-serial="AR26D004512"]')  # each unit with its own state
    expect(unit_row).to_be_visible()
    expect(unit_row.locator('[data-col="affected"]')).to_have_text("affected")
    reply = "Hello Asha, I am Priya from the support team. I am sorry — let me sort this out now."
    console.fill("#reply-body", reply)
    console.click("button[data-action=reply]")
    expect(console.locator("#transcript li.author-agent", has_text="I am Priya")).to_be_visible()
    expect(_sms_bubbles(phone).filter(has_text="I am Priya")).to_be_visible(timeout=WAIT_MS)

    hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> ok thanks'
    _send_sms(phone, hostile)
    shown = console.locator("#transcript li.author-customer .body", has_text="ok thanks")
    expect(shown).to_have_text(hostile, timeout=WAIT_MS)  # arrives live, shown as text
    assert console.evaluate("window.__pwned") is None
    console.fill("#note-body", "Customer calmer after the apology; offered the first visit slot.")
    console.click("button[data-action=note]")
    expect(console.locator("#transcript li.note", has_text="calmer")).to_be_visible()
    console.screenshot(path=str(screenshots / "console-conversation.png"), full_page=True)

    console.click("button[data-action=hand-back]")
    expect(console.locator("h1", has_text="Waiting for a person")).to_be_visible()
    answers = phone.locator("article.thread-sms li.bubble.from-business")
    before = answers.count()
    _send_sms(phone, "hi, when can the technician come?")
    expect(answers).to_have_count(before + 1, timeout=WAIT_MS)  # the bot answers again
    with stack.db() as session:
        from sqlalchemy import select

        from bot.models import Author, Message

        authors = list(
            session.scalars(select(Message.author).where(Message.customer_id.is_not(None)).order_by(Message.id))
        )
    assert authors[-1] is Author.BOT and Author.AGENT in authors
