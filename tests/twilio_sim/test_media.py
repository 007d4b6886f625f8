"""The Media subresource of a Message (content, resource, list, delete) behind basic auth, the
webhook's MediaUrl pointing at it, the phones page's own link, and the console's fetch."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import pytest
from fastapi import HTTPException
from PIL import Image
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.console.media import fetch_photo
from bot.settings import Settings
from bot.twilio_sim import SimHandle
from tests.twilio_sim.support import ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, SMS_FROM, Receiver

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"jpeg" * 64
INBOUND = "/twilio/inbound"
AUTH = (ACCOUNT_SID, AUTH_TOKEN)
MEDIA = "/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{Sid}.json"
MEDIA_LIST = "/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media.json"
RFC2822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$")
OTHER_ACCOUNT = "AC" + "cd" * 16


def send_photos(sim: SimHandle, *photos: tuple[str, bytes, str], body: str = "the label") -> dict[str, Any]:
    response = sim.api(
        "POST",
        "/sim/api/send",
        data={"from": CUSTOMER, "channel": "whatsapp", "body": body, "wait": "true"},
        files=[("photo", photo) for photo in photos],
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def get(url: str, auth: tuple[str, str] | None = AUTH, **params: str) -> httpx.Response:
    return httpx.get(url, auth=auth, params=params or None, trust_env=False)  # {} would drop the URL's query


def rest(sim: SimHandle, path: str, account: str = ACCOUNT_SID) -> str:
    return f"{sim.base_url}/2010-04-01/Accounts/{account}/{path}"


def check_media_schema(data: dict[str, Any], openapi: dict[str, Any]) -> None:
    properties = openapi["components"]["schemas"]["api.v2010.account.message.media"]["properties"]
    assert set(data) == set(properties), set(data) ^ set(properties)
    for name, spec in properties.items():
        assert isinstance(data[name], str), name
        if "pattern" in spec:
            assert re.match(spec["pattern"], data[name]), (name, data[name])
        if spec.get("format") == "date-time-rfc-2822":
            assert RFC2822.match(data[name]), (name, data[name])


@pytest.fixture
def photo(sim: SimHandle, receiver: Receiver) -> dict[str, str]:
    """A customer's WhatsApp photo: its message SID, media SID and the webhook's MediaUrl0."""
    result = sim.send(CUSTOMER, "the label", channel="whatsapp", photo=("label.png", PNG, "image/png"))
    url = receiver.wait_for(INBOUND)[0].form["MediaUrl0"]
    message_sid = result["message"]["sid"]
    return {"message_sid": message_sid, "media_sid": url.rsplit("/", 1)[1], "url": url}


def test_the_webhook_media_url_is_the_authenticated_media_resource(sim: SimHandle, photo: dict[str, str]) -> None:
    expected = rest(sim, f"Messages/{photo['message_sid']}/Media/{photo['media_sid']}")
    assert photo["url"] == expected and re.match(r"^ME[0-9a-f]{32}$", photo["media_sid"])
    assert "/sim/" not in photo["url"]


def test_content_with_the_account_credentials(photo: dict[str, str]) -> None:
    response = get(photo["url"])
    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("auth", [None, (ACCOUNT_SID, "wrong-token"), ("AC" + "0" * 32, AUTH_TOKEN)])
def test_content_without_the_right_credentials_is_401(photo: dict[str, str], auth: tuple[str, str] | None) -> None:
    for url in (photo["url"], photo["url"] + ".json"):
        response = get(url, auth=auth)
        assert response.status_code == 401
        assert response.json()["code"] == 20003
        assert response.headers["www-authenticate"].startswith("Basic")
        assert PNG not in response.content


def test_another_account_in_the_path_is_401(sim: SimHandle, photo: dict[str, str]) -> None:
    path = f"Messages/{photo['message_sid']}/Media/{photo['media_sid']}"
    for url in (rest(sim, path, OTHER_ACCOUNT), rest(sim, path + ".json", OTHER_ACCOUNT)):
        response = get(url)
        assert (response.status_code, response.json()["code"]) == (401, 20003)


def test_unknown_media_or_another_message_is_404(sim: SimHandle, client: Client, photo: dict[str, str]) -> None:
    other = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="hello").sid
    unknown_me, unknown_mm = "ME" + "0" * 32, "MM" + "0" * 32
    for path in (
        f"Messages/{photo['message_sid']}/Media/{unknown_me}",
        f"Messages/{photo['message_sid']}/Media/{unknown_me}.json",
        f"Messages/{photo['message_sid']}/Media/not-a-sid",
        f"Messages/{other}/Media/{photo['media_sid']}",  # the media belongs to another message
        f"Messages/{other}/Media/{photo['media_sid']}.json",
        f"Messages/{unknown_mm}/Media/{photo['media_sid']}",
        f"Messages/{unknown_mm}/Media.json",
    ):
        response = get(rest(sim, path))
        assert response.status_code == 404, path
        body = response.json()
        assert body["code"] == 20404 and body["status"] == 404 and "/Media" in body["message"], path


def test_media_resource_matches_the_schema(sim: SimHandle, photo: dict[str, str], openapi: dict[str, Any]) -> None:
    assert "200" in openapi["paths"][MEDIA]["get"]["responses"]
    response = get(photo["url"] + ".json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    check_media_schema(data, openapi)
    assert (data["account_sid"], data["parent_sid"], data["sid"]) == (
        ACCOUNT_SID,
        photo["message_sid"],
        photo["media_sid"],
    )
    assert data["content_type"] == "image/png"
    assert sim.base_url + data["uri"] == photo["url"] + ".json"


def test_media_list_matches_the_schema_and_pages(sim: SimHandle, openapi: dict[str, Any]) -> None:
    sid = send_photos(sim, ("a.png", PNG, "image/png"), ("b.jpg", JPEG, "image/jpeg"))["message"]["sid"]
    schema = openapi["paths"][MEDIA_LIST]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    listed = get(rest(sim, f"Messages/{sid}/Media.json")).json()
    assert set(listed) == set(schema["properties"])
    assert [m["content_type"] for m in listed["media_list"]] == ["image/png", "image/jpeg"]
    for item in listed["media_list"]:
        check_media_schema(item, openapi)
        assert item["parent_sid"] == sid
    assert (listed["page"], listed["page_size"], listed["start"], listed["end"]) == (0, 50, 0, 1)
    assert listed["next_page_uri"] is None and listed["previous_page_uri"] is None
    base = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media.json"
    assert listed["first_page_uri"] == listed["uri"] == f"{base}?PageSize=50&Page=0"

    first = get(rest(sim, f"Messages/{sid}/Media.json"), PageSize="1").json()
    assert len(first["media_list"]) == 1 and first["next_page_uri"]
    second = get(sim.base_url + first["next_page_uri"]).json()
    assert [m["sid"] for m in first["media_list"] + second["media_list"]] == [m["sid"] for m in listed["media_list"]]
    assert second["next_page_uri"] is None and second["previous_page_uri"]

    today = get(rest(sim, f"Messages/{sid}/Media.json"), **{"DateCreated>": "2000-01-01"}).json()
    assert len(today["media_list"]) == 2 and "DateCreated%3E=2000-01-01" in today["uri"]
    assert get(rest(sim, f"Messages/{sid}/Media.json"), **{"DateCreated<": "2000-01-01"}).json()["media_list"] == []
    assert get(rest(sim, f"Messages/{sid}/Media.json"), DateCreated="yesterday").status_code == 400


def test_each_media_url_serves_its_own_bytes(sim: SimHandle, receiver: Receiver) -> None:
    send_photos(sim, ("a.png", PNG, "image/png"), ("b.jpg", JPEG, "image/jpeg"))
    form = receiver.wait_for(INBOUND)[0].form
    assert form["NumMedia"] == "2"
    assert get(form["MediaUrl0"]).content == PNG and get(form["MediaUrl1"]).content == JPEG
    assert get(form["MediaUrl1"]).headers["content-type"] == form["MediaContentType1"] == "image/jpeg"


def test_subresource_uri_of_the_message_lists_its_media(sim: SimHandle, photo: dict[str, str]) -> None:
    message = get(rest(sim, f"Messages/{photo['message_sid']}.json")).json()
    assert message["num_media"] == "1"
    listed = get(sim.base_url + message["subresource_uris"]["media"])
    assert listed.status_code == 200
    assert [m["sid"] for m in listed.json()["media_list"]] == [photo["media_sid"]]


def test_delete_media(sim: SimHandle, photo: dict[str, str]) -> None:
    assert httpx.delete(photo["url"] + ".json", trust_env=False).status_code == 401
    response = httpx.delete(photo["url"] + ".json", auth=AUTH, trust_env=False)
    assert response.status_code == 204 and response.content == b""
    assert get(photo["url"]).status_code == 404
    assert get(photo["url"] + ".json").status_code == 404
    assert get(rest(sim, f"Messages/{photo['message_sid']}/Media.json")).json()["media_list"] == []
    assert httpx.delete(photo["url"] + ".json", auth=AUTH, trust_env=False).status_code == 404


def test_deleting_the_message_deletes_its_media(sim: SimHandle, photo: dict[str, str]) -> None:
    response = httpx.delete(rest(sim, f"Messages/{photo['message_sid']}.json"), auth=AUTH, trust_env=False)
    assert response.status_code == 204
    assert get(photo["url"]).status_code == 404
    assert sim.state.store.get_media(photo["media_sid"]) is None


def test_media_through_the_official_client(client: Client, photo: dict[str, str]) -> None:
    media = client.messages(photo["message_sid"]).media
    assert [(m.sid, m.parent_sid, m.content_type) for m in media.list()] == [
        (photo["media_sid"], photo["message_sid"], "image/png")
    ]
    fetched = media(photo["media_sid"]).fetch()
    assert (fetched.account_sid, fetched.content_type) == (ACCOUNT_SID, "image/png")
    assert fetched.date_created is not None
    assert media(photo["media_sid"]).delete() is True
    with pytest.raises(TwilioRestException) as raised:
        media(photo["media_sid"]).fetch()
    assert (raised.value.status, raised.value.code) == (404, 20404)


def test_outbound_media_urls_stay_as_the_app_gave_them(sim: SimHandle, client: Client) -> None:
    url = "http://127.0.0.1:1/reply.jpg"
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="here", media_url=[url]).sid
    kept = {"url": url, "content_type": "image/jpeg", "sid": None, "page_url": None}
    assert sim.messages()[0]["sim"]["media"] == [kept]
    bubbles = sim.api("GET", "/sim/api/conversation", params={"phone": CUSTOMER}).json()["threads"]["sms"]["messages"]
    assert [m["url"] for b in bubbles if b["sid"] == sid for m in b["media"]] == [url]
    # The simulator keeps no bytes for them: the list is empty, as for a message without media.
    assert get(rest(sim, f"Messages/{sid}/Media.json")).json()["media_list"] == []


def test_the_phones_page_shows_the_customers_own_photo(sim: SimHandle, photo: dict[str, str]) -> None:
    page_path = f"/sim/media/{photo['media_sid']}"
    html = httpx.get(sim.base_url + "/", params={"phone": CUSTOMER}, trust_env=False).text
    assert f'<img src="{page_path}"' in html
    assert "/Media/" not in html  # the page never needs the account's credentials
    conversation = sim.api("GET", "/sim/api/conversation", params={"phone": CUSTOMER}).json()
    bubble = conversation["threads"]["whatsapp"]["messages"][0]
    assert bubble["media"] == [{"url": page_path, "content_type": "image/png", "is_image": True}]
    response = httpx.get(sim.base_url + page_path, trust_env=False)
    assert response.status_code == 200 and response.content == PNG and response.headers["content-type"] == "image/png"
    assert sim.messages()[0]["sim"]["media"][0] == {
        "url": photo["url"],
        "content_type": "image/png",
        "sid": photo["media_sid"],
        "page_url": page_path,
    }


def real_png() -> bytes:
    image = Image.new("RGB", (8, 6), "white")
    image.putpixel((2, 3), (200, 10, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_the_console_fetches_the_photo_with_the_account_credentials(sim: SimHandle, receiver: Receiver) -> None:
    """bot/console/media.py against the simulator (TWILIO_API_URL: the simulator's URL), as
    the console's photo route calls it."""
    sim.send(CUSTOMER, "", channel="whatsapp", photo=("label.png", real_png(), "image/png"))
    url = receiver.wait_for(INBOUND)[0].form["MediaUrl0"]
    settings = Settings(twilio_api_url=sim.base_url, twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN)
    shown = fetch_photo(settings, url)
    assert shown.status_code == 200 and shown.media_type == "image/png"
    with Image.open(io.BytesIO(shown.body)) as image:
        assert image.size == (8, 6) and image.convert("RGB").getpixel((2, 3)) == (200, 10, 30)
    wrong = Settings(twilio_api_url=sim.base_url, twilio_account_sid=ACCOUNT_SID, twilio_auth_token="wrong")
    with pytest.raises(HTTPException) as raised:
        fetch_photo(wrong, url)
    assert raised.value.status_code == 502  # the simulator answered 401
