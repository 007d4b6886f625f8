"""The gateway's Rasa client over several replicas: turns spread by load, a replica that
refuses connections skipped, a replica that failed after the request reached it not."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bot.messaging.rasa import RasaClient, RasaUnavailable

URLS = ["http://127.0.0.1:5005", "http://127.0.0.1:5006"]


def _client(handler) -> RasaClient:
    return RasaClient(URLS, "t", client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))


def test_sequential_turns_alternate_between_replicas():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.port)
        return httpx.Response(200, json=[{"text": "hi"}])

    async def run() -> None:
        rasa = _client(handler)
        for _ in range(4):
            assert await rasa.turn("c-1", "hello", {}) == ["hi"]
        await rasa.close()

    asyncio.run(run())
    assert seen == [5005, 5006, 5005, 5006]


def test_a_turn_goes_to_the_least_busy_replica():
    seen = []
    release = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.port)
        if len(seen) == 1:
            await release.wait()  # the first replica is busy with a long turn
        return httpx.Response(200, json=[])

    async def run() -> None:
        rasa = _client(handler)
        slow = asyncio.create_task(rasa.turn("c-1", "slow", {}))
        await asyncio.sleep(0.01)
        for _ in range(3):
            await rasa.turn("c-2", "quick", {})
        release.set()
        await slow
        await rasa.close()

    asyncio.run(run())
    assert seen == [5005, 5006, 5006, 5006]


def test_a_replica_that_refuses_connections_is_skipped():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.port == 5005:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=[{"text": "from 5006"}])

    async def run() -> list[list[str]]:
        rasa = _client(handler)
        answers = [await rasa.turn("c-1", "hello", {}) for _ in range(3)]
        await rasa.close()
        return answers

    assert asyncio.run(run()) == [["from 5006"]] * 3


def test_a_failure_after_the_request_reached_rasa_is_not_resent_elsewhere():
    """A read timeout: the turn may have happened; the processor retries it, and the
    tracker tells whether it had (never a second replica at once)."""
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.port)
        raise httpx.ReadTimeout("slow", request=request)

    async def run() -> None:
        rasa = _client(handler)
        with pytest.raises(RasaUnavailable):
            await rasa.turn("c-1", "hello", {})
        await rasa.close()

    asyncio.run(run())
    assert seen == [5005]


def test_every_replica_down_is_rasa_unavailable():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async def run() -> None:
        rasa = _client(handler)
        with pytest.raises(RasaUnavailable, match="unreachable"):
            await rasa.tracker("c-1")
        await rasa.close()

    asyncio.run(run())
