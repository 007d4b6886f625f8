"""The REST subset through Twilio's own Python client (twilio.rest.Client)."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.twilio_sim import SimHandle, simulator_client
from tests.twilio_sim.support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CUSTOMER,
    OTHER_CUSTOMER,
    SMS_FROM,
    WHATSAPP_FROM,
    final_status,
    wait_until,
)

SID = re.compile(r"^SM[0-9a-f]{32}$")
RFC2822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$")
MG = "MG" + "1" * 32


def raw_create(
    sim: SimHandle, auth: tuple[str, str] | None = None, account: str = ACCOUNT_SID, **fields: str
) -> httpx.Response:
    return httpx.post(
        f"{sim.base_url}/2010-04-01/Accounts/{account}/Messages.json",
        data=fields,
        auth=auth or (ACCOUNT_SID, AUTH_TOKEN),
        trust_env=False,
    )


def test_create_answers_201_with_a_queued_message(sim: SimHandle) -> None:
    response = raw_create(sim, To=CUSTOMER, From=SMS_FROM, Body="Your heater is part of a recall.")
    assert response.status_code == 201
    data = response.json()
    assert SID.match(data["sid"])
    assert data["status"] == "queued" and data["direction"] == "outbound-api"
    assert (data["from"], data["to"], data["account_sid"]) == (SMS_FROM, CUSTOMER, ACCOUNT_SID)
    assert (data["num_segments"], data["num_media"], data["price"], data["price_unit"]) == ("1", "0", None, "USD")
    assert (data["error_code"], data["error_message"], data["messaging_service_sid"]) == (None, None, None)
    assert data["api_version"] == "2010-04-01"
    assert RFC2822.match(data["date_created"]) and RFC2822.match(data["date_updated"])
    assert data["uri"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{data['sid']}.json"
    assert data["subresource_uris"]["media"].endswith(f"/Messages/{data['sid']}/Media.json")


def test_create_then_fetch_with_the_official_client(client: Client) -> None:
    created = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="Hello")
    assert created.status == "queued" and created.date_sent is None
    delivered = final_status(client, created.sid)
    assert delivered.status == "delivered"
    assert delivered.body == "Hello" and delivered.to == CUSTOMER and delivered.from_ == SMS_FROM
    assert isinstance(delivered.date_sent, datetime) and delivered.date_sent.tzinfo is not None


def test_segments_are_counted_like_twilio(client: Client) -> None:
    assert client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="a" * 161).num_segments == "2"
    assert client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="ł" * 71).num_segments == "2"
    assert client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="€" * 80).num_segments == "1"


def test_media_url_makes_an_mms(client: Client) -> None:
    created = client.messages.create(
        to=CUSTOMER, from_=SMS_FROM, media_url=["http://127.0.0.1:1/a.jpg", "http://127.0.0.1:1/b.png"]
    )
    assert created.sid.startswith("MM") and created.num_media == "2"


def test_messaging_service_is_accepted_then_given_a_sender(client: Client) -> None:
    created = client.messages.create(to=CUSTOMER, messaging_service_sid=MG, body="Hi")
    assert (created.status, created.from_, created.num_segments, created.messaging_service_sid) == (
        "accepted",
        None,
        "0",
        MG,
    )
    done = final_status(client, created.sid)
    assert (done.from_, done.num_segments) == (SMS_FROM, "1")


def test_fetch_unknown_message_is_20404(client: Client) -> None:
    with pytest.raises(TwilioRestException) as info:
        client.messages("SM" + "0" * 32).fetch()
    assert (info.value.status, info.value.code) == (404, 20404)


def test_list_filters_by_to_from_and_date_sent(client: Client) -> None:
    first = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="one")
    second = client.messages.create(to=OTHER_CUSTOMER, from_=SMS_FROM, body="two")
    for sid in (first.sid, second.sid):
        final_status(client, sid)
    today = datetime.now(UTC).date()
    assert [m.sid for m in client.messages.list(to=CUSTOMER)] == [first.sid]
    assert {m.sid for m in client.messages.list(from_=SMS_FROM)} == {first.sid, second.sid}
    assert [m.sid for m in client.messages.list(to=CUSTOMER, date_sent=today)] == [first.sid]
    assert client.messages.list(to=CUSTOMER, date_sent=today - timedelta(days=1)) == []
    assert len(client.messages.list(date_sent_after=today)) == 2
    assert len(client.messages.list(date_sent_before=today - timedelta(days=1))) == 0
    assert len(client.messages.list(date_sent_before=date(today.year + 1, 1, 1))) == 2


def test_list_is_newest_first_and_pages_like_twilio(sim: SimHandle, client: Client) -> None:
    sids = [client.messages.create(to=CUSTOMER, from_=SMS_FROM, body=f"m{i}").sid for i in range(5)]
    listed = client.messages.list(page_size=2)
    assert [m.sid for m in listed] == list(reversed(sids))
    page = httpx.get(
        f"{sim.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
        params={"To": CUSTOMER, "PageSize": 2},
        auth=(ACCOUNT_SID, AUTH_TOKEN),
        trust_env=False,
    ).json()
    assert (page["page"], page["page_size"], page["start"], page["end"]) == (0, 2, 0, 1)
    assert page["previous_page_uri"] is None
    assert page["first_page_uri"].startswith(f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json?To=%2B91")
    second = httpx.get(sim.base_url + page["next_page_uri"], auth=(ACCOUNT_SID, AUTH_TOKEN), trust_env=False).json()
    assert (second["page"], second["start"]) == (1, 2)
    assert [m["body"] for m in second["messages"]] == ["m2", "m1"]
    assert second["previous_page_uri"] is not None
    back = httpx.get(sim.base_url + second["previous_page_uri"], auth=(ACCOUNT_SID, AUTH_TOKEN), trust_env=False).json()
    assert [m["sid"] for m in back["messages"]] == [m["sid"] for m in page["messages"]]


def test_wrong_auth_token_is_401_20003(sim: SimHandle) -> None:
    bad = simulator_client(sim.base_url, ACCOUNT_SID, "not-the-token")
    with pytest.raises(TwilioRestException) as info:
        bad.messages.create(to=CUSTOMER, from_=SMS_FROM, body="Hi")
    assert (info.value.status, info.value.code) == (401, 20003)
    response = raw_create(sim, auth=(ACCOUNT_SID, "nope"), To=CUSTOMER, From=SMS_FROM, Body="x")
    assert response.status_code == 401
    assert response.json()["more_info"] == "https://www.twilio.com/docs/errors/20003"
    assert response.headers["www-authenticate"].startswith("Basic")


def test_another_account_in_the_path_is_401_20003(sim: SimHandle) -> None:
    response = raw_create(sim, account="AC" + "cd" * 16, To=CUSTOMER, From=SMS_FROM, Body="x")
    assert (response.status_code, response.json()["code"]) == (401, 20003)
    other = simulator_client(sim.base_url, "AC" + "cd" * 16, AUTH_TOKEN)
    with pytest.raises(TwilioRestException) as info:
        other.messages.create(to=CUSTOMER, from_=SMS_FROM, body="x")
    assert (info.value.status, info.value.code) == (401, 20003)


def test_missing_credentials_are_401(sim: SimHandle) -> None:
    response = httpx.get(f"{sim.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json", trust_env=False)
    assert (response.status_code, response.json()["code"]) == (401, 20003)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"to": "", "from_": SMS_FROM, "body": "x"}, 21604),
        ({"to": CUSTOMER, "body": "x"}, 21603),
        ({"to": CUSTOMER, "from_": SMS_FROM}, 21602),
        ({"to": "+1234", "from_": SMS_FROM, "body": "x"}, 21211),
        ({"to": "9876543210", "from_": SMS_FROM, "body": "x"}, 21211),
        ({"to": "whatsapp:+999", "from_": WHATSAPP_FROM, "body": "x"}, 21211),
        ({"to": CUSTOMER, "from_": SMS_FROM, "body": "x" * 1601}, 21617),
        ({"to": CUSTOMER, "from_": "+14155552671", "body": "x"}, 21606),
        ({"to": CUSTOMER, "from_": WHATSAPP_FROM, "body": "x"}, 21910),
        ({"to": CUSTOMER, "from_": SMS_FROM, "content_sid": "HX123"}, 21655),
        ({"to": CUSTOMER, "from_": SMS_FROM, "content_sid": "HX" + "a" * 32, "content_variables": "{oops"}, 21656),
        ({"to": CUSTOMER, "messaging_service_sid": "MG123", "body": "x"}, 21701),
        ({"to": "whatsapp:" + CUSTOMER, "from_": WHATSAPP_FROM, "body": "free-form"}, 63016),
    ],
)
def test_validation_errors_are_twilios(client: Client, fields: dict[str, str], code: int) -> None:
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(**fields)
    assert (info.value.status, info.value.code) == (400, code)


def test_error_body_is_twilios_shape(sim: SimHandle) -> None:
    response = raw_create(sim, To="+1234", From=SMS_FROM, Body="x")
    assert response.status_code == 400
    assert response.json() == {
        "code": 21211,
        "message": "The 'To' number +1234 is not a valid phone number.",
        "more_info": "https://www.twilio.com/docs/errors/21211",
        "status": 400,
    }


@pytest.mark.parametrize("code", [21610, 21211, 21614, 63016, 63003])
def test_injected_error_codes_per_recipient(sim: SimHandle, client: Client, code: int) -> None:
    sim.set_faults(error_codes={CUSTOMER: code})
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="x")
    assert (info.value.status, info.value.code) == (400, code)
    assert client.messages.create(to=OTHER_CUSTOMER, from_=SMS_FROM, body="x").status == "queued"


def test_fail_next_429_then_5xx_in_order_then_success(sim: SimHandle, client: Client) -> None:
    sim.set_faults(fail_next=[{"status": 429, "count": 2, "retry_after": 3}, {"status": 503, "count": 1}])
    first = raw_create(sim, To=CUSTOMER, From=SMS_FROM, Body="x")
    assert first.status_code == 429 and first.headers["retry-after"] == "3"
    assert first.json() == {
        "code": 20429,
        "message": "Too Many Requests",
        "more_info": "https://www.twilio.com/docs/errors/20429",
        "status": 429,
    }
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="x")
    assert (info.value.status, info.value.code) == (429, 20429)
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="x")
    assert (info.value.status, info.value.code) == (503, 20503)
    assert client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="x").status == "queued"
    assert sim.api("GET", "/sim/api/faults").json()["fail_next"] == []


def test_fail_next_500(sim: SimHandle, client: Client) -> None:
    sim.set_faults(fail_next=[{"status": 500, "count": 1}])
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="x")
    assert (info.value.status, info.value.code) == (500, 20500)


def test_fail_next_is_not_consumed_by_unauthenticated_calls(sim: SimHandle, client: Client) -> None:
    sim.set_faults(fail_next=[{"status": 500, "count": 1}])
    assert raw_create(sim, auth=(ACCOUNT_SID, "bad"), To=CUSTOMER, From=SMS_FROM, Body="x").status_code == 401
    assert raw_create(sim, To=CUSTOMER, From=SMS_FROM, Body="x").status_code == 500


def test_latency_is_added_to_every_rest_call(sim: SimHandle, client: Client) -> None:
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="x").sid
    sim.set_faults(latency_ms=400)
    started = time.perf_counter()
    client.messages(sid).fetch()
    client.messages.list(limit=1)
    with pytest.raises(TwilioRestException):
        simulator_client(sim.base_url, ACCOUNT_SID, "wrong").messages(sid).fetch()
    assert time.perf_counter() - started >= 1.2
    sim.clear_faults()
    started = time.perf_counter()
    client.messages(sid).fetch()
    assert time.perf_counter() - started < 0.4


def test_delete_removes_the_message(client: Client) -> None:
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="x").sid
    assert client.messages(sid).delete() is True
    with pytest.raises(TwilioRestException) as info:
        client.messages(sid).fetch()
    assert info.value.code == 20404


def test_resources_not_simulated_are_20404(sim: SimHandle) -> None:
    response = httpx.get(
        f"{sim.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json", auth=(ACCOUNT_SID, AUTH_TOKEN), trust_env=False
    )
    assert (response.status_code, response.json()["code"]) == (404, 20404)


def test_dates_are_rfc_2822_in_gmt(client: Client, sim: SimHandle) -> None:
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="x").sid
    final_status(client, sid)
    data = httpx.get(
        f"{sim.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        auth=(ACCOUNT_SID, AUTH_TOKEN),
        trust_env=False,
    ).json()
    for name in ("date_created", "date_updated", "date_sent"):
        assert RFC2822.match(data[name]), data[name]
        moment = parsedate_to_datetime(data[name])
        assert abs((moment - datetime.now(UTC)).total_seconds()) < 60


def test_statuses_reach_delivered_in_order(sim: SimHandle, client: Client) -> None:
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="x").sid
    wait_until(lambda: client.messages(sid).fetch().status == "delivered")
    history = [h["status"] for h in sim.api("GET", f"/sim/api/messages/{sid}").json()["sim"]["history"]]
    assert history == ["queued", "sending", "sent", "delivered"]
