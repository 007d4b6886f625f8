"""The console's security over HTTP (FastAPI TestClient, real database): every console
route needs a login, forms need the CSRF token, logins are rate-limited and audited,
the session cookie is HttpOnly and SameSite (Secure behind https), admin pages refuse
the agent role, customer text is escaped."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.gateway.app import create_app
from bot.models import AuditEvent
from bot.services.agents import add_agent
from bot.services.escalations import record_escalation
from bot.settings import Settings
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
    return client.post("/console/login", data={"email": email, "password": password, "csrf_token": token},
                       follow_redirects=False)


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
    # everything else the app serves: Twilio's webhooks need a signature, /health is open
    others = {p for p, _ in concrete_routes(console.app.routes) if not p.startswith("/console")}
    assert others == {"/twilio/inbound", "/twilio/status", "/health"}


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
    response = console.post("/console/login", data={"email": "agent@example.com", "password": PASSWORD},
                            follow_redirects=False)
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
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        calm = factories.customer(s, campaign, "+919812300001", "AR26D004512", name="Calm Customer")
        burning = factories.customer(s, campaign, "+919812300002", "AR26D004513", name="Smoke Report")
        record_escalation(s, customer_id=calm.id, reason="request_human", text="<script>alert(1)</script>")
        record_escalation(s, customer_id=burning.id, reason="report_hazard", text="smoke from the back")
    log_in(console, "agent@example.com")
    page = console.get("/console").text
    assert page.index("Smoke Report") < page.index("Calm Customer")  # urgent first
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'id="queue-count">2<' in page
