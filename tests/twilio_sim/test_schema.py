"""The simulator's JSON against Twilio's published OpenAPI description (twilio_api_v2010.json)."""

from __future__ import annotations

import re
from typing import Any

import httpx
from twilio.rest import Client

from bot.twilio_sim import SimHandle
from tests.twilio_sim.support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CUSTOMER,
    SMS_FROM,
    WHATSAPP_FROM,
    final_status,
    wait_until,
)

MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json"


def message_schema(openapi: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = openapi["components"]["schemas"]["api.v2010.account.message"]
    return schema


def enum(openapi: dict[str, Any], name: str) -> set[str]:
    return set(openapi["components"]["schemas"][name]["enum"])


def check_against_schema(data: dict[str, Any], openapi: dict[str, Any]) -> None:
    properties = message_schema(openapi)["properties"]
    assert set(data) == set(properties), set(data) ^ set(properties)
    for name, spec in properties.items():
        value = data[name]
        if "$ref" in spec:
            ref = spec["$ref"].rsplit("/", 1)[1]
            assert value in enum(openapi, ref), (name, value)
            continue
        if value is None:
            assert spec.get("nullable"), name
            continue
        expected = {"string": str, "integer": int, "object": dict}[spec["type"]]
        assert isinstance(value, expected), (name, value)
        if "pattern" in spec:
            assert re.match(spec["pattern"], value), (name, value)
        if "minLength" in spec:
            assert spec["minLength"] <= len(value) <= spec["maxLength"], (name, value)


def api_get(sim: SimHandle, path: str, **params: str) -> dict[str, Any]:
    response = httpx.get(
        f"{sim.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/{path}",
        params=params,
        auth=(ACCOUNT_SID, AUTH_TOKEN),
        trust_env=False,
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_created_message_has_every_schema_property(sim: SimHandle, openapi: dict[str, Any]) -> None:
    response = httpx.post(
        f"{sim.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
        data={"To": CUSTOMER, "From": SMS_FROM, "Body": "Hi"},
        auth=(ACCOUNT_SID, AUTH_TOKEN),
        trust_env=False,
    )
    assert response.status_code == 201
    assert "201" in openapi["paths"][MESSAGES]["post"]["responses"]
    check_against_schema(response.json(), openapi)


def test_fetched_list_and_inbound_messages_match_the_schema(
    sim: SimHandle, client: Client, openapi: dict[str, Any]
) -> None:
    sim.send(CUSTOMER, "hello", channel="whatsapp")
    sid = client.messages.create(to="whatsapp:" + CUSTOMER, from_=WHATSAPP_FROM, body="Hi").sid
    final_status(client, sid, ("read",))
    check_against_schema(api_get(sim, f"Messages/{sid}.json"), openapi)
    listed = api_get(sim, "Messages.json")
    list_schema = openapi["paths"][MESSAGES]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(listed) == set(list_schema["properties"])
    assert len(listed["messages"]) == 2
    for message in listed["messages"]:
        check_against_schema(message, openapi)
    assert {m["direction"] for m in listed["messages"]} == {"inbound", "outbound-api"}


def test_every_status_the_simulator_uses_is_in_the_published_enum(
    sim: SimHandle, client: Client, openapi: dict[str, Any]
) -> None:
    statuses = enum(openapi, "message_enum_status")
    directions = enum(openapi, "message_enum_direction")
    sim.set_faults(fail_delivery={"+919812345678": 30003, "+919900112233": 30001})
    sim.send(CUSTOMER, "hi", channel="whatsapp")
    sids = [
        client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="a").sid,
        client.messages.create(to="whatsapp:" + CUSTOMER, from_=WHATSAPP_FROM, body="b").sid,
        client.messages.create(to=CUSTOMER, messaging_service_sid="MG" + "2" * 32, body="c").sid,
        client.messages.create(to="+919812345678", from_=SMS_FROM, body="d").sid,
        client.messages.create(to="+919900112233", from_=SMS_FROM, body="e").sid,
    ]
    for sid in sids:
        final_status(client, sid, ("read", "delivered", "failed", "undelivered"))
    wait_until(lambda: client.messages(sids[1]).fetch().status == "read")
    seen = {h["status"] for m in sim.messages() for h in m["sim"]["history"]}
    assert seen <= statuses
    assert {"queued", "accepted", "sending", "sent", "delivered", "read", "undelivered", "failed", "received"} <= seen
    assert {m["direction"] for m in sim.messages()} <= directions


def test_create_fields_used_are_the_published_ones(openapi: dict[str, Any]) -> None:
    body = openapi["paths"][MESSAGES]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    properties = body["schema"]["properties"]
    for name in (
        "To",
        "From",
        "MessagingServiceSid",
        "Body",
        "MediaUrl",
        "ContentSid",
        "ContentVariables",
        "StatusCallback",
    ):
        assert name in properties, name
    assert body["schema"]["required"] == ["To"]
    list_params = {p["name"] for p in openapi["paths"][MESSAGES]["get"]["parameters"]}
    assert {"To", "From", "DateSent", "DateSent<", "DateSent>", "PageSize", "Page", "PageToken"} <= list_params
