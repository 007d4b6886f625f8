"""How many processes a deployment may run, and where Rasa keeps conversations.

- One Rasa server and one gateway worker run on any database (SQLite by default).
- Several gateway workers (GATEWAY_WORKERS) share one PostgreSQL database: advisory
  locks keep each customer's messages to one worker at a time (`gateway.locks`).
- Several Rasa replicas (RASA_REPLICAS) must share the conversations: the SQL tracker
  store in a database of its own on the app's PostgreSQL server, and Redis as the lock
  store (`rasa_endpoints`).
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

from bot.settings import Settings


class DeploymentError(ValueError):
    """A combination of settings that cannot work; the message says what to change."""


def deployment_problems(settings: Settings) -> list[str]:
    problems = []
    if settings.rasa_replicas < 1:
        problems.append(f"RASA_REPLICAS={settings.rasa_replicas}: at least 1")
    if settings.gateway_workers < 1:
        problems.append(f"GATEWAY_WORKERS={settings.gateway_workers}: at least 1")
    if settings.rasa_replicas > 1:
        missing = [
            name
            for name, ok in (
                ("DATABASE_URL on PostgreSQL (Rasa's shared tracker store)", not settings.is_sqlite),
                ("REDIS_URL (Rasa's shared lock store)", bool(settings.redis_url)),
            )
            if not ok
        ]
        if missing:
            problems.append(
                f"RASA_REPLICAS={settings.rasa_replicas} needs "
                + " and ".join(missing)
                + "; without them run one Rasa server (RASA_REPLICAS=1)"
            )
    if settings.gateway_workers > 1 and settings.is_sqlite:
        problems.append(
            f"GATEWAY_WORKERS={settings.gateway_workers} needs DATABASE_URL on PostgreSQL; "
            "on SQLite run one gateway worker (GATEWAY_WORKERS=1)"
        )
    return problems


def check_deployment(settings: Settings) -> None:
    problems = deployment_problems(settings)
    if problems:
        raise DeploymentError("; ".join(problems))


def tracker_database_url(settings: Settings) -> URL | None:
    """Rasa's tracker store database (same server and login as the app's), or None:
    Rasa keeps conversations in its own memory (the SQLite default)."""
    if settings.is_sqlite:
        return None
    app = make_url(settings.database_url)
    name = settings.rasa_tracker_database or f"{app.database}_rasa"
    return app.set(database=name)
