"""The endpoints file the Rasa servers of `recall up` run with, written from the settings.

- `action_endpoint`: the action server on 127.0.0.1.
- `tracker_store`: on PostgreSQL, Rasa's SQL tracker store (`rasa_components.tracker_store`:
  the stock one, riding out a database restart) in a database of its own on
  the app's server (`deployment.tracker_database_url`, created here when missing), so
  that conversations survive a restart of Rasa and every replica sees the same ones. On
  SQLite none: Rasa's in-memory store, as in the demo.
- `lock_store`: with REDIS_URL, Rasa's RedisLockStore, so that replicas handle one
  conversation's messages one at a time, in order.

Passwords are not written into the file: it names environment variables
(`${RECALL_TRACKER_PASSWORD}`, `${RECALL_REDIS_PASSWORD}`) that Rasa substitutes when it
reads the file, and `rasa_env` gives the Rasa process their values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from sqlalchemy.engine import URL, make_url

from bot.deployment import tracker_database_url
from bot.processes import LOG_DIR, ChildServer, rasa_server
from bot.settings import VAR_DIR, Settings

TRACKER_PASSWORD_VAR = "RECALL_TRACKER_PASSWORD"
REDIS_PASSWORD_VAR = "RECALL_REDIS_PASSWORD"
LOCK_KEY_PREFIX = "recall"  # Rasa requires it alphanumeric
# Rasa's SQLTrackerStore with a liveness check and retries (a PostgreSQL restart).
TRACKER_STORE_CLASS = "rasa_components.tracker_store.ResilientSQLTrackerStore"


def tracker_store_config(url: URL | None) -> dict[str, Any] | None:
    if url is None:
        return None
    config: dict[str, Any] = {
        "type": TRACKER_STORE_CLASS,
        "dialect": "postgresql",  # psycopg2 in .venv-rasa
        "url": url.host or "localhost",
        "port": url.port or 5432,
        "db": url.database,
    }
    if url.username:
        config["username"] = url.username
    if url.password:
        config["password"] = f"${{{TRACKER_PASSWORD_VAR}}}"
    if url.query:
        config["query"] = dict(url.query)
    return config


def lock_store_config(redis_url: str) -> dict[str, Any] | None:
    if not redis_url:
        return None
    parsed = urlsplit(redis_url)
    db = parsed.path.lstrip("/") or "0"
    config: dict[str, Any] = {
        "type": "redis",
        "url": parsed.hostname or "localhost",
        "port": parsed.port or 6379,
        "db": int(db),
        "key_prefix": LOCK_KEY_PREFIX,
    }
    if parsed.username and parsed.username != "default":
        config["username"] = unquote(parsed.username)
    if parsed.password:
        config["password"] = f"${{{REDIS_PASSWORD_VAR}}}"
    if parsed.scheme == "rediss":
        config["use_ssl"] = True
    return config


def endpoints_config(settings: Settings) -> dict[str, Any]:
    config: dict[str, Any] = {"action_endpoint": {"url": f"{settings.action_server_url}/webhook"}}
    tracker = tracker_store_config(tracker_database_url(settings))
    if tracker:
        config["tracker_store"] = tracker
    lock = lock_store_config(settings.redis_url)
    if lock:
        config["lock_store"] = lock
    return config


def rasa_env(settings: Settings) -> dict[str, str]:
    """The secrets the endpoints file refers to, for the Rasa processes' environment."""
    env = {}
    tracker = tracker_database_url(settings)
    if tracker is not None and tracker.password:
        env[TRACKER_PASSWORD_VAR] = tracker.password
    redis_password = urlsplit(settings.redis_url).password if settings.redis_url else None
    if redis_password:
        env[REDIS_PASSWORD_VAR] = unquote(redis_password)
    return env


def write_endpoints(settings: Settings, path: Path | None = None) -> Path:
    """Write the endpoints file (var/rasa/endpoints-PORT.yml by default)."""
    port = urlsplit(settings.rasa_url).port or 5005
    path = path or VAR_DIR / "rasa" / f"endpoints-{port}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# Written by `recall up` from the settings (bot/rasa_endpoints.py); edits are overwritten.\n"
    path.write_text(header + yaml.safe_dump(endpoints_config(settings), sort_keys=False))
    return path


def replica_servers(settings: Settings, model: Path, endpoints: Path, *, log_dir: Path = LOG_DIR) -> list[ChildServer]:
    """The RASA_REPLICAS Rasa servers (not started), one per URL of `settings.rasa_urls`."""
    return [
        rasa_server(
            urlsplit(url).port or 5005,
            settings.action_server_port,
            settings.rasa_token,
            model,
            endpoints=endpoints,
            extra_env=rasa_env(settings),
            log_dir=log_dir,
            nice=settings.background_nice,
        )
        for url in settings.rasa_urls
    ]


def ensure_tracker_database(settings: Settings) -> str | None:
    """Create Rasa's tracker store database when it does not exist (Rasa creates its
    tables itself); its name, or None when Rasa keeps conversations in memory."""
    url = tracker_database_url(settings)
    if url is None:
        return None
    import psycopg
    from psycopg import sql

    # Connected to the app's database, which exists; the login needs CREATEDB (or create
    # the tracker database beforehand: then this only checks).
    app = make_url(settings.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(app, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone()
        if not exists:
            try:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.database)))
            except psycopg.errors.DuplicateDatabase:
                pass  # another `recall up` created it at the same moment
    return url.database
