"""The recall dashboard in a real browser (Debian's chromium through Playwright): the
charts are drawn, the funnel's numbers are those of `recall status --json`, a change in
the database reaches the open page without a reload, the CSV export downloads."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import case, func, select, update

from bot.db import make_engine, make_session_factory
from bot.models import Customer, Disposition, Feedback, Remedy, Unit, Verification, utcnow
from bot.services.agents import add_agent
from bot.services.escalations import record_escalation
from bot.settings import PROJECT_ROOT, Settings
from bot.twilio_sim.runner import serving
from bot.web import create_app
from tests.browser.support import log_in
from tests.support.databases import scratch_pg_database
from tests.support.demo import seed_demo

pytestmark = pytest.mark.postgres
SLUG = "arctica-ff260-valve-2026"
AGENT = "dashboard-viewer@example.org"
PASSWORD = "another long password 7"


@dataclass
class Site:
    url: str
    database_url: str
    factory: object


def _progress(factory) -> None:
    """Move the demo buyers along the funnel: notified, delivered, replied, verified,
    a remedy, a few completed with feedback, one escalation."""
    now = utcnow()
    with factory.begin() as s:
        ids = list(s.scalars(select(Customer.id).order_by(Customer.id)))
        stages = [
            ("notified_at", 0.95),
            ("delivered_at", 0.9),
            ("replied_at", 0.6),
            ("verified_at", 0.5),
            ("completed_at", 0.25),
        ]
        for column, share in stages:
            chosen = ids[: max(1, int(len(ids) * share))]
            s.execute(update(Customer).where(Customer.id.in_(chosen)).values({column: now}))
            if column in ("verified_at", "completed_at"):  # their units' own progress
                s.execute(update(Unit).where(Unit.customer_id.in_(chosen)).values({column: now}))
        s.execute(
            update(Customer)
            .where(Customer.notified_at.is_not(None))
            .values(notified_channel=case((Customer.whatsapp_opt_in, "whatsapp"), else_="sms"))
        )
        verified = ids[: max(1, int(len(ids) * 0.5))]
        s.execute(
            update(Customer)
            .where(Customer.id.in_(verified))
            .values(verification=Verification.AFFECTED, remedy=Remedy.REPAIR)
        )
        s.execute(update(Unit).where(Unit.customer_id.in_(verified)).values(remedy=Remedy.REPAIR))
        # an affected unit of a customer who never verified it was sold
        unverified = select(func.max(Unit.id)).where(Unit.affected.is_(True), Unit.customer_id.not_in(verified))
        s.execute(
            update(Unit)
            .where(Unit.id == unverified.scalar_subquery())
            .values(disposition=Disposition.SOLD, disposition_at=now)
        )
        customer = s.get(Customer, ids[0])
        for n, (score, comment) in enumerate([(5, "Quick and polite <b>technician</b>"), (2, "Came late")]):
            s.add(
                Feedback(
                    campaign_id=customer.campaign_id,
                    customer_id=ids[n],
                    asked_at=now,
                    score=score,
                    answered_at=now,
                    comment=comment,
                    commented_at=now,
                )
            )
        record_escalation(s, customer_id=ids[-1], reason="complain", text="why so slow")


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with scratch_pg_database("recall_dash") as url:
        seed_demo(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        _progress(factory)
        with factory.begin() as s:
            add_agent(s, AGENT, PASSWORD, "agent")
        settings = Settings(database_url=url, console_secret_key="dashboard-test", rasa_url="http://127.0.0.1:9")
        with serving(create_app(settings, factory=factory, inline_processing=False)) as base:
            yield Site(base, url, factory)
        engine.dispose()


def _recall_status(database_url: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "status", "--campaign", SLUG, "--json"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_dashboard_draws_its_charts_and_agrees_with_recall_status(browser: Browser, site: Site, screenshots):
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    log_in(page, f"{site.url}/console/campaigns/{SLUG}", AGENT, PASSWORD)
    page.goto(f"{site.url}/console/campaigns/{SLUG}")
    expect(page.locator("#funnel-table")).to_be_visible()
    page.wait_for_function("window.recallDashboard && Object.keys(window.recallDashboard.charts).length === 5")
    for name in ("funnel", "timeline", "channels", "escalations", "feedback"):
        box = page.locator(f"#chart-{name}").bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, name

    status = _recall_status(site.database_url)
    # the reach stages count customers, the later stages affected units
    for key, total in (
        ("notified", "notified"),
        ("delivered", "delivered"),
        ("replied", "replied"),
        ("verified", "units_verified"),
        ("remedy_chosen", "units_remedy"),
        ("completed", "units_completed"),
        ("out_of_reach", "units_out_of_reach"),
    ):
        assert page.locator(f'[data-figure="funnel.{key}.total"]').inner_text() == str(status[total]), key
    for key in (
        "affected",
        "notified",
        "replied",
        "units_verified",
        "units_completed",
        "units_out_of_reach",
        "escalated",
        "opted_out",
    ):
        assert page.locator(f'[data-figure="status.{key}"]').inner_text() == str(status[key]), key
    assert status["units_out_of_reach"] == 1
    assert page.locator('[data-figure="out_of_reach.sold"]').inner_text() == "1"
    assert page.locator('[data-figure="funnel.affected.total"]').inner_text() == str(status["affected"])
    assert page.locator('[data-figure="correction_rate"]').inner_text() == f"{100 * status['correction_rate']:.1f}%"
    expect(page.locator("#feedback-comments")).to_contain_text("Quick and polite <b>technician</b>")  # as text
    page.screenshot(path=str(screenshots / "dashboard.png"), full_page=True)

    with site.factory.begin() as s:  # one more corrected unit, while the page is open
        pending = s.scalar(
            select(Unit)
            .where(Unit.affected.is_(True), Unit.completed_at.is_(None), Unit.verified_at.is_not(None))
            .order_by(Unit.id)
            .limit(1)
        )
        pending.completed_at = utcnow()
        s.get(Customer, pending.customer_id).updated_at = utcnow()  # as the completion service does
    page.evaluate("window.__sameDocument = true")
    expect(page.locator('[data-figure="funnel.completed.total"]')).to_have_text(
        str(status["units_completed"] + 1), timeout=20_000
    )
    assert page.evaluate("window.__sameDocument") is True
    assert _recall_status(site.database_url)["units_completed"] == status["units_completed"] + 1

    with page.expect_download() as download_info:
        page.click("a[data-action=export]")
    with open(download_info.value.path(), encoding="utf-8") as downloaded:
        rows = list(csv.reader(io.StringIO(downloaded.read())))
    with site.factory() as s:
        units = s.scalar(select(func.count(Unit.id)))
        without = s.scalar(select(func.count(Customer.id)).where(~Customer.units.any()))
    assert len(rows) == 1 + units + without  # the header, then one row per unit (and per customer without one)
    assert "serial" in rows[0] and "unit_completed_at" in rows[0]
