import pytest
from pydantic_settings import SettingsError

from bot.settings import DEFAULT_DATABASE_URL, PROJECT_ROOT, Settings


def test_defaults_need_no_configuration():
    settings = Settings.from_environ({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.twilio_api_url == "https://api.twilio.com"
    assert settings.action_server_port == 5055
    assert settings.redis_url == ""
    assert settings.is_sqlite


def test_environment_overrides_and_types():
    settings = Settings.from_environ(
        {
            "DATABASE_URL": "postgresql+psycopg://app@db/recall",
            "ACTION_SERVER_PORT": "6055",
            "PORT": "9000",
            "TWILIO_API_URL": " http://127.0.0.1:8900 ",
            "REDIS_URL": "",
        }
    )
    assert settings.database_url.startswith("postgresql")
    assert settings.action_server_port == 6055 and settings.port == 9000
    assert settings.twilio_api_url == "http://127.0.0.1:8900"
    assert not settings.is_sqlite


def test_a_bad_value_names_the_variable():
    with pytest.raises(SettingsError, match="ACTION_SERVER_PORT='abc'"):
        Settings.from_environ({"ACTION_SERVER_PORT": "abc"})


def test_the_constructor_reads_no_environment(monkeypatch):
    monkeypatch.setenv("PORT", "9000")
    assert Settings().port == 8000
    assert Settings.from_environ({"PORT": "9000"}).port == 9000


def test_every_setting_is_documented_in_env_example():
    documented = {
        line.split("=", 1)[0]
        for line in (PROJECT_ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    fields = {name.upper() for name in Settings.model_fields}
    assert fields == documented
    # every variable sits in a paragraph that opens with a comment
    for paragraph in (PROJECT_ROOT / ".env.example").read_text().split("\n\n"):
        assert paragraph.strip().startswith("#"), f"no comment above: {paragraph.strip()}"


def test_the_cli_names_a_bad_setting_without_a_traceback(monkeypatch):
    from click.testing import CliRunner

    from bot.cli.main import cli
    from bot.settings import get_settings

    monkeypatch.setenv("ACTION_SERVER_PORT", "fifty")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["status", "--campaign", "demo"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "ACTION_SERVER_PORT='fifty'" in result.output and "Traceback" not in result.output
