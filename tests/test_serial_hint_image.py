"""The campaign's picture of where the serial label is (`serial_hint_image`): checked when
the YAML is read (a file beside it, PNG/JPEG, at most 500 KB; or an https URL), stored
with the campaign, and served at /campaign-media/<slug>/serial-hint.png for Twilio."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.campaigns.definition import CampaignDefinitionError, parse_definition, read_definition
from bot.campaigns.hint_image import MAX_IMAGE_BYTES, serial_hint_image_url
from bot.campaigns.loader import load_campaign
from bot.models import Campaign
from bot.settings import Settings
from bot.web import create_app
from tests.factories import DEMO_CAMPAIGN, definition_problems

BASE = yaml.safe_load(DEMO_CAMPAIGN.read_text())
SLUG = BASE["slug"]
PNG = (DEMO_CAMPAIGN.parent / "serial-hint.png").read_bytes()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def campaign_file(tmp_path: Path, image: str | None, files: dict[str, bytes] = {}) -> Path:  # noqa: B006
    data = copy.deepcopy(BASE)
    data["serial_hint_image"] = image
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    path = tmp_path / "campaign.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problems_reading(path: Path) -> dict[str, str]:
    with pytest.raises(CampaignDefinitionError) as caught:
        read_definition(path)
    return dict(caught.value.problems)


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({}, "no such file"),
        ({"label.png": b"not a picture at all"}, "is not a PNG or JPEG image"),
        ({"label.png": PNG[:16] + b"\x00" * MAX_IMAGE_BYTES}, "KB: at most 500 KB"),
        ({"label.png": JPEG}, "is a JPEG image: name it *.jpg"),
    ],
    ids=["missing file", "not an image", "too big", "wrong suffix"],
)
def test_a_file_that_cannot_be_the_picture_is_an_error_naming_the_key(tmp_path, files, problem):
    problems = problems_reading(campaign_file(tmp_path, "label.png", files))
    assert list(problems) == ["serial_hint_image"]
    assert problem in problems["serial_hint_image"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("http://www.example.com/label.png", "is not an https address"),
        ("ftp://example.com/label.png", "is not an https address"),
        ("../pictures/label.png", "relative to the campaign file"),
        ("/srv/pictures/label.png", "relative to the campaign file"),
        ("label.gif", "is not a .png or .jpg file"),
        ("", "at least 1 character"),
    ],
)
def test_a_value_that_is_neither_https_nor_a_relative_image_path_is_refused(value, problem):
    problems = definition_problems({**BASE, "serial_hint_image": value})
    assert problem in problems["serial_hint_image"]


def test_an_https_url_is_taken_as_it_is_and_stores_no_file(tmp_path, session_factory):
    url = "https://cdn.example.com/recalls/label.jpg?v=2"
    definition = read_definition(campaign_file(tmp_path, url))
    assert definition.serial_hint_image == url and definition.serial_hint_file is None
    assert serial_hint_image_url(SLUG, url, "https://recall.example.com") == url
    with session_factory.begin() as s:
        load_campaign(s, definition)
    with session_factory() as s:
        campaign = s.scalar(select(Campaign))
        assert campaign.serial_hint_image is None and campaign.definition["serial_hint_image"] == url


def test_a_jpeg_file_in_a_folder_beside_the_yaml_loads_with_its_type(tmp_path):
    (tmp_path / "pictures").mkdir()
    definition = read_definition(campaign_file(tmp_path, "pictures/label.JPG", {"pictures/label.JPG": JPEG}))
    assert definition.serial_hint_file is not None
    assert (definition.serial_hint_file.content, definition.serial_hint_file.content_type) == (JPEG, "image/jpeg")
    assert serial_hint_image_url(SLUG, "pictures/label.JPG", "https://r.example.com").endswith("/serial-hint.jpg")


def test_the_demo_picture_is_a_small_png_stored_with_the_campaign(session_factory):
    definition = read_definition(DEMO_CAMPAIGN)
    image = definition.serial_hint_file
    assert image is not None and image.content_type == "image/png" and len(image.content) <= 60 * 1024
    with session_factory.begin() as s:
        load_campaign(s, definition)
    with session_factory() as s:
        campaign = s.scalar(select(Campaign))
        assert (campaign.serial_hint_image, campaign.serial_hint_image_type) == (PNG, "image/png")
        assert campaign.definition["serial_hint_image"] == "serial-hint.png"
    assert (
        serial_hint_image_url(SLUG, "serial-hint.png", "https://recall.example.com/")
        == f"https://recall.example.com/campaign-media/{SLUG}/serial-hint.png"
    )
    assert serial_hint_image_url(SLUG, "serial-hint.png", "") is None  # nowhere to serve it


def test_a_definition_not_read_from_its_file_is_stored_without_the_picture(session_factory):
    """Parsed from data (no file to read): the stored definition names no picture, so the
    bot never sends Twilio a URL that answers 404."""
    with session_factory.begin() as s:
        load_campaign(s, read_definition(DEMO_CAMPAIGN))
    with session_factory.begin() as s:
        load_campaign(s, parse_definition(BASE))
    with session_factory() as s:
        campaign = s.scalar(select(Campaign))
        assert campaign.serial_hint_image is None and campaign.definition["serial_hint_image"] is None


@pytest.fixture
def web(session_factory):
    settings = Settings(database_url="sqlite://", public_base_url="https://recall.example.com")
    with TestClient(create_app(settings, factory=session_factory, inline_processing=False)) as client:
        yield client


def test_the_web_app_serves_the_stored_picture_without_auth(session_factory, web):
    with session_factory.begin() as s:
        load_campaign(s, read_definition(DEMO_CAMPAIGN))
    response = web.get(f"/campaign-media/{SLUG}/serial-hint.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == PNG
    assert response.headers["cache-control"] == "public, max-age=300"
    again = web.get(f"/campaign-media/{SLUG}/serial-hint.png", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and not again.content
    assert web.head(f"/campaign-media/{SLUG}/serial-hint.png").status_code == 200
    assert web.get(f"/campaign-media/{SLUG}/serial-hint.jpg").status_code == 404  # not its type
    assert web.get("/campaign-media/no-such-recall/serial-hint.png").status_code == 404


def test_no_picture_is_served_for_a_campaign_without_one(session_factory, web):
    with session_factory.begin() as s:
        load_campaign(s, parse_definition({**BASE, "serial_hint_image": None}))
    assert web.get(f"/campaign-media/{SLUG}/serial-hint.png").status_code == 404


def test_recall_chat_shows_the_picture_under_its_text(capsys):
    from bot.cli.chat import show_replies
    from bot.messaging.reply import Reply

    show_replies(["Hello", Reply("Please send the serial number.", "https://r.example.com/p.png")])
    assert capsys.readouterr().out.splitlines() == [
        "  bot      > Hello",
        "  bot      > Please send the serial number.",
        "             [image: https://r.example.com/p.png]",
    ]
