"""The dashboard's pages over HTTP (TestClient, real database): the recalls list, one
recall's dashboard with its figures, the CSV export (audited), unknown recalls."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from sqlalchemy import select

from bot.models import AuditEvent
from bot.services.agents import add_agent
from bot.services.status import campaign_status
from tests import factories
from tests.console.test_console import PASSWORD, log_in, make_client


@pytest.fixture
def console(session_factory):
    with session_factory.begin() as s:
        add_agent(s, "agent@example.com", PASSWORD, "agent")
        campaign = factories.demo_campaign(s)
        factories.customer(s, campaign, "+919812300001", name='Asha "=HYPERLINK()" Rao')
        factories.customer(s, campaign, "+919812300002", "AR26D004513", name="Ravi Kumar")
    with make_client(session_factory) as client:
        log_in(client, "agent@example.com")
        yield client


def test_the_recalls_list_links_each_dashboard(console, session_factory):
    page = console.get("/console/campaigns").text
    assert 'href="/console/campaigns/arctica-ff260-valve-2026"' in page


def test_the_dashboard_carries_the_figures_of_recall_status(console, session_factory):
    response = console.get("/console/campaigns/arctica-ff260-valve-2026")
    assert response.status_code == 200
    figures = json.loads(unescape(re.search(r'data-figures="([^"]*)"', response.text).group(1)))
    with session_factory() as s:
        from bot.campaigns.loader import get_campaign

        assert figures["status"] == campaign_status(s, get_campaign(s, "arctica-ff260-valve-2026"))
    assert [stage["key"] for stage in figures["funnel"]][0] == "affected"
    assert 'data-figure="funnel.notified.total">0<' in response.text
    assert '<tr data-stage="notified" data-counts="customers">' in response.text
    assert '<tr data-stage="completed" data-counts="units">' in response.text
    assert "corrected units ÷ affected units" in response.text
    assert figures["out_of_reach"] == {"sold": 0, "given_away": 0, "disposed": 0}
    assert "/console/static/vendor/chart-4.6.1.umd.min.js" in response.text
    assert console.get("/console/static/vendor/chart-4.6.1.umd.min.js").status_code == 200
    assert console.get("/console/campaigns/no-such-recall").status_code == 404


def test_the_csv_export_lists_every_customer_safely_and_is_audited(console, session_factory):
    response = console.get("/console/campaigns/arctica-ff260-valve-2026/customers.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) == 3  # one row per unit: each customer here owns one
    assert sorted(row[rows[0].index("serial")] for row in rows[1:]) == ["AR26D004512", "AR26D004513"]
    names = {row[rows[0].index("name")] for row in rows[1:]}
    assert names == {'Asha "=HYPERLINK()" Rao', "Ravi Kumar"}  # a formula only at a cell's start is neutralised
    with session_factory() as s:
        assert s.scalar(select(AuditEvent.actor).where(AuditEvent.action == "campaign.exported")) == "agent@example.com"


def test_the_dashboard_shows_messages_and_segments_per_language(console):
    page = console.get("/console/campaigns/arctica-ff260-valve-2026").text
    for language in ("en", "hi", "hi-Latn", "total"):
        assert f'<tr data-language="{language}">' in page
    assert 'data-figure="messages.languages.hi.segments">0<' in page
    assert 'data-figure="messages.total.segments_per_sms">—<' in page
    assert "हिन्दी (Hindi)" in page and "Devanagari is UCS-2, 70 characters (67 when split)" in page
