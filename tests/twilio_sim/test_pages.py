"""The customers' phones page: rendered on the server, everything escaped, nothing from a CDN."""

from __future__ import annotations

import re

import httpx
from twilio.rest import Client

from bot.twilio_sim import SimHandle
from bot.twilio_sim.pages import STATIC_DIR, TEMPLATES_DIR
from bot.twilio_sim.views import tick
from tests.twilio_sim.support import CUSTOMER, SMS_FROM, final_status, wait_until

XSS = '<img src=x onerror="alert(1)">'


def page(sim: SimHandle, phone: str | None = None) -> httpx.Response:
    response = httpx.get(sim.base_url + "/", params={"phone": phone} if phone else None, trust_env=False)
    assert response.status_code == 200
    return response


def test_page_lists_phones_and_shows_both_threads(sim: SimHandle, client: Client) -> None:
    sim.register_phone(CUSTOMER, "Asha Rao")
    sim.send(CUSTOMER, "My heater smells of smoke")
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="We are sorry. Please unplug it.").sid
    final_status(client, sid)
    html = page(sim, CUSTOMER).text
    assert "Asha Rao" in html and "My heater smells of smoke" in html and "We are sorry. Please unplug it." in html
    assert 'data-channel="sms"' in html and 'data-channel="whatsapp"' in html
    assert 'class="tick tick-delivered"' in html and "app answered 200" in html
    assert 'action="/sim/api/send"' in html and 'name="photo"' in html


def test_page_without_a_phone(sim: SimHandle) -> None:
    assert "Pick a phone" in page(sim).text
    assert "not a valid phone number" in page(sim, "nonsense").text


def test_text_is_escaped(sim: SimHandle) -> None:
    sim.register_phone(CUSTOMER, "<script>alert('name')</script>")
    sim.send(CUSTOMER, XSS)
    html = page(sim, CUSTOMER).text
    assert "<script>alert" not in html and XSS not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html


def test_no_external_assets_and_a_strict_csp(sim: SimHandle) -> None:
    response = page(sim, CUSTOMER)
    for tag in re.findall(r"<(?:script|link)\b[^>]*>", response.text):
        assert "http" not in tag, tag
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for name in ("phones.js", "phones.css"):
        asset = httpx.get(f"{sim.base_url}/sim/static/{name}", trust_env=False)
        assert asset.status_code == 200 and "//cdn" not in asset.text and "googleapis" not in asset.text


def test_script_never_parses_message_text_as_html() -> None:
    script = (STATIC_DIR / "phones.js").read_text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script
    assert "textContent" in script
    assert (TEMPLATES_DIR / "index.html").exists()
    assert "|safe" not in (TEMPLATES_DIR / "index.html").read_text().replace(" ", "")


def test_conversation_json_for_polling(sim: SimHandle, client: Client) -> None:
    sim.send(CUSTOMER, "STOP")
    conversation = sim.api("GET", "/sim/api/conversation", params={"phone": CUSTOMER}).json()
    sms = conversation["threads"]["sms"]
    assert sms["opted_out"] is True and sms["sender"] == SMS_FROM
    assert conversation["threads"]["whatsapp"]["window_open"] is False
    bubbles = wait_until(
        lambda: (
            len(
                b := sim.api("GET", "/sim/api/conversation", params={"phone": CUSTOMER}).json()["threads"]["sms"][
                    "messages"
                ]
            )
            == 2
            and b
        )
    )
    assert [b["side"] for b in bubbles] == ["customer", "business"]
    assert bubbles[0]["webhook"]["status_code"] == 200 and bubbles[0]["tick"] is None


def test_form_post_without_javascript_redirects_back(sim: SimHandle) -> None:
    response = httpx.post(
        sim.base_url + "/sim/api/send",
        trust_env=False,
        data={"from": CUSTOMER, "channel": "sms", "body": "typed without JS", "redirect": "/?phone=%2B919876543210"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/?phone=%2B919876543210"
    evil = httpx.post(
        sim.base_url + "/sim/api/send",
        trust_env=False,
        data={"from": CUSTOMER, "body": "x", "redirect": "//evil.example/"},
    )
    assert evil.status_code == 201


def test_ticks() -> None:
    assert tick("sent", None)["symbol"] == "✓"
    assert (tick("delivered", None)["symbol"], tick("delivered", None)["css"]) == ("✓✓", "delivered")
    assert (tick("read", None)["symbol"], tick("read", None)["css"]) == ("✓✓", "read")
    assert tick("undelivered", 30003)["symbol"] == "✗ 30003"
    assert tick("failed", 63016)["css"] == "failed"
    assert tick("queued", None)["css"] == "pending"


def test_each_sms_shows_its_segments_and_encoding(sim: SimHandle, client: Client) -> None:
    """Twilio's NumSegments for a Hindi SMS (UCS-2: 70 units, 67 per part) on the phone page."""
    hindi = "नमस्ते Asha, आपके फ्रिज का रिकॉल। कृपया अपना सीरियल नंबर भेजें। " * 3  # 174 units: 3 segments
    english = "Please reply with your serial number."
    hindi_sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body=hindi).sid
    english_sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body=english).sid
    assert client.messages(hindi_sid).fetch().num_segments == "3"
    final_status(client, english_sid)
    sim.send(CUSTOMER, "मेरा फ्रिज ठंडा नहीं कर रहा 🙏")
    html = page(sim, CUSTOMER).text
    assert 'data-segments="3" data-encoding="UCS-2"' in html and "3 segments · UCS-2" in html
    assert 'data-segments="1" data-encoding="GSM-7"' in html and "1 segment · GSM-7" in html
    assert "1 segment · UCS-2" in html  # the customer's own message, with an emoji
    bubbles = sim.api("GET", "/sim/api/conversation", params={"phone": CUSTOMER}).json()["threads"]["sms"]["messages"]
    by_sid = {b["sid"]: b for b in bubbles}
    assert by_sid[hindi_sid]["segments"] == {"count": 3, "encoding": "UCS-2", "label": "3 segments · UCS-2"}
    assert "b.segments" in (STATIC_DIR / "phones.js").read_text()  # the polling page draws them too


def test_whatsapp_messages_have_no_segments(sim: SimHandle) -> None:
    sim.send(CUSTOMER, "नमस्ते", channel="whatsapp")
    bubbles = sim.api("GET", "/sim/api/conversation", params={"phone": CUSTOMER}).json()["threads"]["whatsapp"]
    assert [b["segments"] for b in bubbles["messages"]] == [None]
    assert "data-segments" not in page(sim, CUSTOMER).text
