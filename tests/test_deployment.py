"""Production settings: replicas and workers, what they need, and the Rasa endpoints file
`recall up` writes from them."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.cli.context import AppContext
from bot.cli.main import cli
from bot.db import make_engine
from bot.deployment import deployment_problems, tracker_database_url
from bot.rasa_endpoints import endpoints_config, ensure_tracker_database, rasa_env, write_endpoints
from bot.settings import Settings

PG = "postgresql+psycopg://recall:s3cret%2Fx@db.internal:5433/recall?sslmode=require"
REDIS = "redis://:r3dis@cache.internal:6380/2"


def test_replicas_and_workers_default_to_one():
    settings = Settings.from_environ({})
    assert (settings.rasa_replicas, settings.gateway_workers, settings.rasa_tracker_database) == (1, 1, "")
    assert settings.rasa_urls == ["http://127.0.0.1:5005"]
    assert deployment_problems(settings) == []


def test_replicas_take_the_ports_from_rasa_url_upward():
    settings = Settings.from_environ(
        {"RASA_URL": "http://127.0.0.1:6005/", "RASA_REPLICAS": "3", "GATEWAY_WORKERS": "2"}
    )
    assert settings.rasa_urls == ["http://127.0.0.1:6005", "http://127.0.0.1:6006", "http://127.0.0.1:6007"]
    assert settings.gateway_workers == 2


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"RASA_REPLICAS": "2"},
            "RASA_REPLICAS=2 needs DATABASE_URL on PostgreSQL (Rasa's shared tracker store) "
            "and REDIS_URL (Rasa's shared lock store)",
        ),
        ({"RASA_REPLICAS": "2", "DATABASE_URL": PG}, "RASA_REPLICAS=2 needs REDIS_URL"),
        ({"RASA_REPLICAS": "2", "REDIS_URL": REDIS}, "RASA_REPLICAS=2 needs DATABASE_URL on PostgreSQL"),
        ({"GATEWAY_WORKERS": "3"}, "GATEWAY_WORKERS=3 needs DATABASE_URL on PostgreSQL; on SQLite run one"),
        ({"GATEWAY_WORKERS": "0"}, "GATEWAY_WORKERS=0: at least 1"),
    ],
)
def test_what_cannot_work_is_refused_with_what_to_change(environ, message):
    problems = deployment_problems(Settings.from_environ(environ))
    assert len(problems) == 1 and problems[0].startswith(message)


def test_postgresql_and_redis_allow_replicas_and_workers():
    settings = Settings.from_environ(
        {"DATABASE_URL": PG, "REDIS_URL": REDIS, "RASA_REPLICAS": "2", "GATEWAY_WORKERS": "2"}
    )
    assert deployment_problems(settings) == []


def test_recall_commands_refuse_more_workers_on_sqlite(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", gateway_workers=2)
    for command in (["worker"], ["serve"], ["up"]):
        result = CliRunner().invoke(cli, command, obj=AppContext(settings=settings))
        assert result.exit_code == 1, command
        assert "GATEWAY_WORKERS=2 needs DATABASE_URL on PostgreSQL" in result.output


def test_on_sqlite_rasa_keeps_conversations_in_memory():
    settings = Settings()
    assert tracker_database_url(settings) is None
    assert endpoints_config(settings) == {"action_endpoint": {"url": "http://127.0.0.1:5055/webhook"}}
    assert rasa_env(settings) == {}


def test_on_postgresql_with_redis_rasa_shares_the_tracker_and_lock_stores(tmp_path):
    settings = Settings(database_url=PG, redis_url=REDIS, action_server_port=6055)
    config = endpoints_config(settings)
    assert config["action_endpoint"] == {"url": "http://127.0.0.1:6055/webhook"}
    assert config["tracker_store"] == {
        "type": "rasa_components.tracker_store.ResilientSQLTrackerStore",
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 5433,
        "db": "recall_rasa",
        "username": "recall",
        "password": "${RECALL_TRACKER_PASSWORD}",
        "query": {"sslmode": "require"},
    }
    assert config["lock_store"] == {
        "type": "redis",
        "url": "cache.internal",
        "port": 6380,
        "db": 2,
        "key_prefix": "recall",
        "password": "${RECALL_REDIS_PASSWORD}",
    }
    # the secrets go to Rasa's environment, never into the file
    assert rasa_env(settings) == {"RECALL_TRACKER_PASSWORD": "s3cret/x", "RECALL_REDIS_PASSWORD": "r3dis"}
    path = write_endpoints(settings, tmp_path / "endpoints.yml")
    assert "s3cret" not in path.read_text() and "r3dis" not in path.read_text()
    assert yaml.safe_load(path.read_text()) == config


def test_the_tracker_database_can_be_named():
    settings = Settings(database_url=PG, rasa_tracker_database="rasa_conversations")
    assert tracker_database_url(settings).database == "rasa_conversations"
    assert endpoints_config(settings)["tracker_store"]["db"] == "rasa_conversations"
    assert "lock_store" not in endpoints_config(settings)


def test_redis_over_tls():
    config = endpoints_config(Settings(redis_url="rediss://cache:6379"))["lock_store"]
    assert config["use_ssl"] is True and config["db"] == 0


@pytest.mark.postgres
def test_the_tracker_database_is_created_when_missing(postgres_database):
    name = f"{make_url(postgres_database).database}_rasa"
    settings = Settings(database_url=postgres_database)
    admin = make_engine(postgres_database, isolation_level="AUTOCOMMIT")
    try:
        assert ensure_tracker_database(settings) == name
        assert ensure_tracker_database(settings) == name  # and left alone when it exists
        with admin.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": name}) == 1
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
