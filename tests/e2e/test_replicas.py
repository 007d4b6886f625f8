"""Two real Rasa replicas as `recall up` starts them with RASA_REPLICAS=2 on PostgreSQL
and Redis: the endpoints file written from the settings, the SQL tracker store in its
own database, the Redis lock store. A conversation begun on one replica goes on on the
other, and its events are in the tracker database."""

from __future__ import annotations

import httpx
import pytest
import redis
from sqlalchemy import text

from bot.db import make_engine, make_session_factory, run_in_write_transaction
from bot.deployment import tracker_database_url
from bot.processes import action_server, free_port
from bot.rasa_endpoints import ensure_tracker_database, replica_servers, write_endpoints
from bot.services.conversations import open_conversation_safely
from bot.settings import Settings
from tests.support.databases import scratch_pg_database
from tests.support.demo import seed_demo

pytestmark = pytest.mark.rasa


def _say(url: str, sender_id: str, message: str) -> str:
    response = httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": sender_id, "message": message}, timeout=60)
    response.raise_for_status()
    return "\n".join(m.get("text", "") for m in response.json())


def test_two_replicas_share_conversations_through_postgresql_and_redis(rasa_model, tmp_path):
    with scratch_pg_database("recall_replicas") as url:
        seed_demo(url)
        port = free_port(2)  # the replicas take two consecutive ports
        settings = Settings(
            database_url=url,
            redis_url="redis://127.0.0.1:6379/3",
            rasa_replicas=2,
            rasa_url=f"http://127.0.0.1:{port}",
            rasa_token="replicas-token",
            action_server_port=free_port(),
            background_nice=0,
        )
        tracker_db = ensure_tracker_database(settings)
        endpoints = write_endpoints(settings, tmp_path / "endpoints.yml")
        actions = action_server(settings.action_server_port, url, tmp_path, nice=0)
        replicas = replica_servers(settings, rasa_model, endpoints, log_dir=tmp_path)
        tracker_engine = make_engine(tracker_database_url(settings).render_as_string(hide_password=False))
        try:
            actions.start()
            for rasa in replicas:
                rasa.start()
            actions.wait_ready(120)
            for rasa in replicas:
                rasa.wait_ready(180)
            first, second = settings.rasa_urls
            factory = make_session_factory(make_engine(url))
            sender_id = run_in_write_transaction(factory, lambda s: open_conversation_safely(s, "+919812300001"))

            assert "serial" in _say(first, sender_id, "hi").lower()  # the form asks for it
            tracker = httpx.get(
                f"{second}/conversations/{sender_id}/tracker", params={"token": settings.rasa_token}, timeout=30
            ).json()
            assert tracker["active_loop"]["name"] == "recall_form"  # the other replica knows
            assert tracker["slots"]["requested_slot"] == "serial"
            # As after a PostgreSQL restart: every connection Rasa's pools hold is gone.
            with tracker_engine.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :db AND pid <> pg_backend_pid()"
                    ),
                    {"db": tracker_db},
                )
            answer = _say(second, sender_id, "AR26D004512")
            assert "Your unit AR26D004512" in answer  # went on with the conversation ...
            assert "Hello" not in answer  # ... not a new one (Rasa's fallback to an empty tracker)

            ours = redis.Redis.from_url(settings.redis_url)
            rasa_clients = [c for c in ours.client_list() if c["db"] == "3" and c["id"] != str(ours.client_id())]
            ours.close()
            assert len(rasa_clients) >= 2  # each replica took its conversation locks in Redis
            with tracker_engine.connect() as conn:
                stored = conn.scalar(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender_id})
            assert tracker_db and stored > 4
        finally:
            for rasa in replicas:
                rasa.stop()
            actions.stop()
            tracker_engine.dispose()
            admin = make_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{tracker_db}" WITH (FORCE)'))
            admin.dispose()
