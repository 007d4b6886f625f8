"""The console's security over HTTP (FastAPI TestClient, real database): every console
route needs a login, forms need the CSRF token, logins are rate-limited and audited,
the session cookie is HttpOnly and SameSite (Secure behind https), admin pages refuse
the agent role, customer text is escaped."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.models import AuditEvent, Campaign, Customer
from bot.services.agents import add_agent
from bot.services.escalations import record_escalation
from bot.settings import Settings
from bot.web import create_app
from tests import factories

PASSWORD = "correct horse battery staple"
PUBLIC_PATHS = {("/console/login", "GET"), ("/console/login", "POST")}


def concrete_routes(routes) -> list[tuple[str, str]]:
    """(path, method) of every route of the app, through included routers."""
    found: list[tuple[str, str]] = []
    for route in routes:
        if hasattr(route, "original_router"):
            found += concrete_routes(route.original_router.routes)
        elif hasattr(route, "methods") and route.methods:
            found += [(route.path, m) for m in sorted(route.methods) if m != "HEAD"]
        else:
            found.append((route.path, "MOUNT"))
    return found


def make_client(session_factory, base_url: str = "http://testserver") -> TestClient:
    settings = Settings(database_url="sqlite://", console_secret_key="test-secret", public_base_url=base_url)
    app = create_app(settings, factory=session_factory, inline_processing=False)
    return TestClient(app, base_url=base_url)


@pytest.fixture
def console(session_factory):
    with session_factory.begin() as s:
        add_agent(s, "admin@example.com", PASSWORD, "admin")
        add_agent(s, "agent@example.com", PASSWORD, "agent")
    with make_client(session_factory) as client:
        yield client


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def log_in(client: TestClient, email: str, password: str = PASSWORD):
    token = csrf_of(client.get("/console/login").text)
    return client.post(
        "/console/login", data={"email": email, "password": password, "csrf_token": token}, follow_redirects=False
    )


def test_every_console_route_needs_a_login(console):
    routes = [(p, m) for p, m in concrete_routes(console.app.routes) if p.startswith("/console")]
    assert ("/console", "GET") in routes and ("/console/admin/agents", "GET") in routes
    for path, method in routes:
        if (path, method) in PUBLIC_PATHS or method == "MOUNT":  # the login itself; static CSS
            continue
        response = console.request(method, path, follow_redirects=False)
        assert response.status_code in (303, 401), (path, method, response.status_code)
        if response.status_code == 303:
            assert response.headers["location"] == "/console/login"
    # everything else the app serves: Twilio's webhooks need a signature, /health is open, and so
    # is the campaign's picture of where the serial is (Twilio fetches it for WhatsApp)
    others = {p for p, _ in concrete_routes(console.app.routes) if not p.startswith("/console")}
    assert others == {"/twilio/inbound", "/twilio/status", "/health", "/campaign-media/{slug}/serial-hint.{suffix}"}


def test_login_sets_a_safe_cookie_and_is_audited(console, session_factory):
    response = log_in(console, "agent@example.com")
    assert response.status_code == 303 and response.headers["location"] == "/console"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    assert "agent@example.com" in console.get("/console").text
    with session_factory() as s:
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.action == "agent.login")) == "agent.login"


def test_secure_cookie_behind_https(session_factory):
    with session_factory.begin() as s:
        add_agent(s, "agent@example.com", PASSWORD, "agent")
    with make_client(session_factory, "https://recall.example.com") as client:
        assert "secure" in log_in(client, "agent@example.com").headers["set-cookie"].lower()


def test_wrong_password_and_missing_csrf_are_refused(console):
    assert log_in(console, "agent@example.com", "wrong password!!").status_code == 401
    response = console.post(
        "/console/login", data={"email": "agent@example.com", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert console.get("/console", follow_redirects=False).status_code == 303  # still nobody logged in


def test_login_attempts_are_rate_limited(console):
    codes = [log_in(console, "agent@example.com", "wrong password!!").status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    assert log_in(console, "agent@example.com").status_code == 429  # even the right one, for a minute


def test_the_agent_role_cannot_reach_admin_pages(console):
    log_in(console, "agent@example.com")
    assert console.get("/console/admin/agents").status_code == 403
    console.post("/console/logout", data={"csrf_token": csrf_of(console.get("/console").text)})
    log_in(console, "admin@example.com")
    page = console.get("/console/admin/agents")
    assert page.status_code == 200 and "agent@example.com" in page.text


def test_logout_needs_the_token_and_ends_the_session(console):
    log_in(console, "agent@example.com")
    assert console.post("/console/logout", data={}, follow_redirects=False).status_code == 403
    token = csrf_of(console.get("/console").text)
    assert console.post("/console/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert console.get("/console", follow_redirects=False).status_code == 303


def test_the_queue_orders_by_priority_then_waiting_and_escapes_customer_text(console, session_factory):
    escalate(
        session_factory,
        ("Calm Customer", "request_human", "<script>alert(1)</script>"),
        ("Smoke Report", "report_hazard", "smoke from the back"),
    )
    log_in(console, "agent@example.com")
    page = console.get("/console").text
    assert page.index("Smoke Report") < page.index("Calm Customer")  # urgent first
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'id="queue-count">2<' in page


def escalate(session_factory, *people: tuple[str, str, str]) -> list[int]:
    """One customer per (name, reason, their words), each escalated; the escalations' ids."""
    from bot.models import Escalation

    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        for n, (name, reason, text) in enumerate(people, start=1):
            customer = factories.customer(s, campaign, f"+9198123000{n:02d}", f"AR26D0045{n:02d}", name=name)
            record_escalation(s, customer_id=customer.id, reason=reason, text=text)
        return list(s.scalars(select(Escalation.id).order_by(Escalation.id)))


def _two_escalations(session_factory) -> list[int]:
    return escalate(
        session_factory,
        ("First Customer", "request_human", "a person please"),
        ("Second Customer", "complain", "useless!!!"),
    )


def _post(client: TestClient, path: str):
    return client.post(path, data={"csrf_token": csrf_of(client.get("/console").text)}, follow_redirects=False)


def test_claim_then_hand_back_or_resolve(console, session_factory):
    from bot.models import Conversation, Escalation, EscalationStatus

    first, second = _two_escalations(session_factory)
    log_in(console, "agent@example.com")
    assert _post(console, f"/console/escalations/{first}/resolve").status_code == 403  # claim it first
    assert _post(console, f"/console/escalations/{first}/claim").status_code == 303
    assert "claimed by agent@example.com" in console.get("/console").text
    assert _post(console, f"/console/escalations/{first}/claim").status_code == 409  # taken
    assert _post(console, f"/console/escalations/{first}/hand-back").status_code == 303
    assert _post(console, f"/console/escalations/{second}/claim").status_code == 303
    assert _post(console, f"/console/escalations/{second}/resolve").status_code == 303
    assert _post(console, f"/console/escalations/{second}/resolve").status_code == 409  # already closed
    assert _post(console, "/console/escalations/999999/claim").status_code == 404
    with session_factory() as s:
        statuses = dict(s.execute(select(Escalation.id, Escalation.status)).all())
        assert statuses == {first: EscalationStatus.HANDED_BACK, second: EscalationStatus.RESOLVED}
        assert not any(s.scalars(select(Conversation.bot_paused)))  # the bot answers both again
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.actor == "agent@example.com")))
        assert actions.count("escalation.claimed") == 2 and "escalation.handed_back" in actions
        assert "escalation.resolved" in actions


def test_a_claim_needs_the_csrf_token(console, session_factory):
    first, _ = _two_escalations(session_factory)
    log_in(console, "agent@example.com")
    assert console.post(f"/console/escalations/{first}/claim", data={}, follow_redirects=False).status_code == 403


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_two_agents_claiming_at_once_one_wins(session_factory):
    import threading

    from sqlalchemy import func

    from bot.models import Escalation
    from bot.services.escalations import claim

    first, _ = _two_escalations(session_factory)
    with session_factory.begin() as s:
        ids = [add_agent(s, f"agent{n}@example.com", PASSWORD, "agent").id for n in range(8)]
    barrier, results = threading.Barrier(len(ids)), []

    def click(agent_id: int) -> None:
        with session_factory.begin() as s:
            barrier.wait()
            results.append(claim(s, first, agent_id, actor=f"agent {agent_id}"))

    threads = [threading.Thread(target=click, args=(agent_id,)) for agent_id in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
    with session_factory() as s:
        holder = s.scalar(select(Escalation.claimed_by_id).where(Escalation.id == first))
        claims = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "escalation.claimed"))
    assert holder in ids and claims == 1


def test_search_by_phone_serial_reference_and_name(console, session_factory):
    from bot.models import Booking, BookingKind, BookingStatus

    escalate(session_factory, ("Asha Rao", "request_human", "hi"), ("Ravi Kumar", "complain", "bad"))
    with session_factory.begin() as s:
        ravi = s.scalar(select(Customer).where(Customer.name == "Ravi Kumar"))
        slot = factories.slot(s, s.get(Campaign, ravi.campaign_id))
        s.add(
            Booking(
                reference="RP-7K3F2Q",
                campaign_id=ravi.campaign_id,
                customer_id=ravi.id,
                slot_id=slot.id,
                kind=BookingKind.REPAIR,
                status=BookingStatus.BOOKED,
                address="x",
            )
        )
    log_in(console, "agent@example.com")

    def found(q: str) -> list[str]:
        page = console.get("/console/search", params={"q": q}).text
        return re.findall(r"<tr data-customer=\"\d+\"><td>([^<]+)</td>", page)

    assert found("098123 00001") == ["Asha Rao"]  # a national format, default country IN
    assert found("+919812300002") == ["Ravi Kumar"]
    assert found("ar26-d 004502") == ["Ravi Kumar"]  # serial as typed
    assert found("rp 7k3f2q") == ["Ravi Kumar"]  # booking reference as typed
    assert found("asha") == ["Asha Rao"]
    assert found("%") == [] and found("zz_nobody") == []
    assert "&lt;b&gt;" in console.get("/console/search", params={"q": "<b>"}).text
