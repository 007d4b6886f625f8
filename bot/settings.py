"""One settings object, read once from the environment and `.env`.

Every variable is documented in `.env.example`. Defaults are embedded so that the demo
and the tests need no configuration at all: `Settings(...)` reads only its arguments;
`Settings.from_environ` and `get_settings()` read the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from dotenv import load_dotenv
from pydantic import ValidationError
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'recall.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, str_strip_whitespace=True, env_ignore_empty=True)

    database_url: str = DEFAULT_DATABASE_URL
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    action_server_port: int = 5055
    twilio_account_sid: str = "AC00000000000000000000000000000000"
    twilio_auth_token: str = "demo-auth-token-not-a-secret"
    twilio_api_url: str = "https://api.twilio.com"
    twilio_sms_from: str = "+15005550006"
    twilio_messaging_service_sid: str = ""
    twilio_whatsapp_from: str = "whatsapp:+14155238886"
    photo_max_bytes: int = 5 * 1024 * 1024  # largest customer photo fetched from Twilio (bot.twilio.media)
    # Read the serial on a photo of the label sent while the serial is asked (bot/gateway/label_photos.py)
    read_label_photos: bool = True
    public_base_url: str = "http://127.0.0.1:8000"
    redis_url: str = ""
    port: int = 8000
    background_nice: int = 5  # bot.processes.BACKGROUND_NICE
    default_country: str = "IN"
    console_secret_key: str = ""  # signs the console's session cookie; empty: random per process
    rasa_replicas: int = 1  # Rasa servers `recall up` starts, on RASA_URL's port and upward
    gateway_workers: int = 1  # gateway worker processes `recall up`/`recall serve` start
    rasa_tracker_database: str = ""  # PostgreSQL: Rasa's tracker store database; empty: <app db>_rasa

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)  # the environment only through from_environ

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def rasa_urls(self) -> list[str]:
        """Every Rasa replica: RASA_URL, then the next RASA_REPLICAS - 1 ports."""
        parsed = urlsplit(self.rasa_url.rstrip("/"))
        port = parsed.port or 5005
        host = parsed.hostname or "127.0.0.1"
        return [
            urlunsplit((parsed.scheme, f"{host}:{port + i}", parsed.path, "", ""))
            for i in range(max(1, self.rasa_replicas))
        ]

    @property
    def action_server_url(self) -> str:
        """The action server (bound to 127.0.0.1; Rasa reaches it through endpoints.yml)."""
        return f"http://127.0.0.1:{self.action_server_port}"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        """The settings from ENVIRON (`os.environ` or a test's dict); empty values keep the default."""
        try:
            return cls(**MappingEnvSource(cls, environ)())
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])).upper()}={e['input']!r}: {e['msg']}" for e in error.errors()
            )
            raise SettingsError(f"invalid setting: {problems}") from error


class MappingEnvSource(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping instead of `os.environ`."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {
            name if self.case_sensitive else name.lower(): value
            for name, value in self._environ.items()
            if not (self.env_ignore_empty and value == "")
        }


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings: `.env` (if present) under the real environment.

    `load_dotenv` exports `.env` into `os.environ`, so the processes we start (the action
    server, Rasa's endpoints.yml `${ACTION_SERVER_PORT}`) see the same values.
    """
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    return Settings.from_environ(os.environ)
