"""Steps the browser tests share."""

from __future__ import annotations

from playwright.sync_api import Page


def log_in(page: Page, url: str, email: str, password: str) -> None:
    """Open `url` (the console sends the browser to its login page), and log in."""
    page.goto(url)
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
