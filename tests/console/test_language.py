"""The customer's language in the console (issue 17, item 6): shown on the conversation
page, in the queue and in the search, and changed by an agent (kept as chosen)."""

from __future__ import annotations

from sqlalchemy import select

from bot.models import AuditEvent, Customer
from tests.console.test_console import log_in
from tests.console.test_conversation import _post, console, stub_sender, world

__all__ = ["console", "stub_sender", "world"]  # fixtures


def language_of(session_factory, customer_id: int) -> tuple[str | None, str | None]:
    with session_factory() as s:
        customer = s.get(Customer, customer_id)
        return customer.language, customer.language_source.value if customer.language_source else None


def test_the_page_shows_the_language_and_how_it_is_known(console, world, session_factory):
    log_in(console, "agent@example.com")
    page = console.get(f"/console/customers/{world['customer_id']}").text
    assert 'data-language="en"' in page and "English <small>(campaign default)</small>" in page
    assert 'action="/console/customers/{}/language"'.format(world["customer_id"]) in page
    assert '<option value="hi-Latn">Hinglish (Hindi in Latin letters)</option>' in page

    with session_factory.begin() as s:
        customer = s.get(Customer, world["customer_id"])
        customer.language, customer.language_source = "hi", "written"
    page = console.get(f"/console/customers/{world['customer_id']}").text
    assert 'data-language="hi"' in page and "हिन्दी (Hindi) <small>(from their messages)</small>" in page


def test_an_agent_sets_the_language_as_if_the_customer_chose_it(console, world, session_factory):
    log_in(console, "agent@example.com")
    path = f"/console/customers/{world['customer_id']}/language"

    response = _post(console, path, language="hi-Latn")

    assert response.status_code == 303
    assert language_of(session_factory, world["customer_id"]) == ("hi-Latn", "chosen")
    page = console.get(f"/console/customers/{world['customer_id']}").text
    assert "written to in Hinglish (Hindi in Latin letters) from now on" in page
    assert "Hinglish (Hindi in Latin letters) <small>(chosen)</small>" in page
    with session_factory() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "customer.language"))
        assert event.actor == "agent@example.com" and event.detail["to"] == "hi-Latn"

    assert _post(console, path, language="ta").status_code == 400  # not one the campaign ships
    assert language_of(session_factory, world["customer_id"]) == ("hi-Latn", "chosen")


def test_setting_the_language_needs_the_csrf_token_and_a_login(console, world, session_factory):
    path = f"/console/customers/{world['customer_id']}/language"
    assert console.post(path, data={"language": "hi"}, follow_redirects=False).status_code in (303, 401, 403)
    log_in(console, "agent@example.com")
    assert console.post(path, data={"language": "hi"}, follow_redirects=False).status_code == 403
    assert language_of(session_factory, world["customer_id"]) == (None, None)


def test_the_queue_and_the_search_show_the_language(console, world, session_factory):
    log_in(console, "agent@example.com")
    assert '<td data-col="language">campaign default</td>' in console.get("/console").text
    with session_factory.begin() as s:
        s.get(Customer, world["customer_id"]).language = "hi"
    assert '<td data-col="language">हिन्दी (Hindi)</td>' in console.get("/console").text
    assert '<td data-col="language">हिन्दी (Hindi)</td>' in console.get("/console/search", params={"q": "Asha"}).text
