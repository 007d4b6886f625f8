"""`recall sim`: options and the config it builds from the app's settings."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli import sim as sim_module
from bot.settings import Settings


def test_help_lists_the_options() -> None:
    result = CliRunner().invoke(sim_module.sim, ["--help"])
    assert result.exit_code == 0
    for option in ("--port", "--host", "--inbound-url", "--public-url", "--step-delay", "--whatsapp-window"):
        assert option in result.output


def test_config_from_settings() -> None:
    settings = Settings(
        twilio_account_sid="AC" + "1" * 32,
        twilio_auth_token="tok",
        twilio_sms_from="+15005550006",
        twilio_whatsapp_from="whatsapp:+14155238886",
        public_base_url="http://127.0.0.1:8000/",
    )
    config = sim_module.sim_config(settings, "0.0.0.0", 8901)
    assert (config.account_sid, config.auth_token, config.sms_number) == ("AC" + "1" * 32, "tok", "+15005550006")
    assert config.whatsapp_address == "whatsapp:+14155238886"
    assert config.inbound_url == "http://127.0.0.1:8000/twilio/inbound"
    assert config.public_url == "http://127.0.0.1:8901"
    assert config.default_region == "IN"  # numbers typed on the phones page without +91
    assert sim_module.sim_config(settings, inbound_url="http://x/in").inbound_url == "http://x/in"


def test_command_runs_uvicorn_with_the_simulator(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    result = CliRunner().invoke(
        sim_module.sim, ["--port", "8999", "--inbound-url", "http://127.0.0.1:1/in", "--whatsapp-window", "fail"]
    )
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert (call["host"], call["port"]) == ("127.0.0.1", 8999)
    state = call["app"].state.sim
    assert state.config.inbound_url == "http://127.0.0.1:1/in" and state.config.whatsapp_window == "fail"
