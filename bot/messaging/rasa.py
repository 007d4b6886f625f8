"""Rasa over HTTP: one turn through the REST channel, and the tracker for recovery;
spread over the Rasa replicas (RASA_REPLICAS)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from bot.messaging.reply import Reply, collect_output


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or failed: the message stays queued and is retried."""


class RasaClient:
    """One or several Rasa servers (replicas sharing the tracker and lock stores).

    Each request goes to the replica with the fewest requests in flight from this
    process, ties taken in turn; a replica that refuses the connection (down,
    restarting) is skipped for the next one, since the request never reached it. The
    order of one customer's turns is the processor's: it sends the next only when the
    previous one has been answered."""

    def __init__(
        self,
        base_url: str | Sequence[str],
        token: str,
        *,
        timeout: float = 60.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        urls = [base_url] if isinstance(base_url, str) else list(base_url)
        if not urls:
            raise ValueError("at least one Rasa URL")
        self.base_urls = [url.rstrip("/") for url in urls]
        self.token = token
        self._in_flight = [0] * len(self.base_urls)
        self._turn = 0
        self._client = client or httpx.AsyncClient(timeout=timeout, limits=httpx.Limits(max_connections=64))

    @property
    def base_url(self) -> str:
        return self.base_urls[0]

    async def close(self) -> None:
        await self._client.aclose()

    def _replicas(self) -> list[int]:
        """Replica indexes in the order to try them: least busy first, ties in turn."""
        count = len(self.base_urls)
        start, self._turn = self._turn, (self._turn + 1) % count
        rotation = [(start + i) % count for i in range(count)]
        return sorted(rotation, key=lambda i: self._in_flight[i])  # stable: the rotation breaks ties

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        unreachable: httpx.HTTPError | None = None
        for index in self._replicas():
            self._in_flight[index] += 1
            try:
                response = await self._client.request(method, f"{self.base_urls[index]}{path}", **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # never reached it: the next one
                unreachable = exc
                continue
            except httpx.HTTPError as exc:
                raise RasaUnavailable(f"Rasa unreachable: {exc.__class__.__name__}") from exc
            finally:
                self._in_flight[index] -= 1
            if response.status_code != 200:
                raise RasaUnavailable(f"Rasa answered {response.status_code}")
            return response
        raise RasaUnavailable(f"Rasa unreachable: {unreachable.__class__.__name__}") from unreachable

    async def turn(self, sender_id: str, text: str, metadata: dict[str, Any]) -> list[Reply]:
        """Send one customer message; the texts the bot answered with, each with its image
        (`bot.messaging.reply.collect_output`)."""
        response = await self._request(
            "POST", "/webhooks/rest/webhook", json={"sender": sender_id, "message": text, "metadata": metadata}
        )
        return collect_output(response.json())

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        response = await self._request("GET", f"/conversations/{sender_id}/tracker", params={"token": self.token})
        return response.json()

    async def replies_already_given(self, sender_id: str, message_id: int) -> list[Reply] | None:
        """When Rasa already handled our message `message_id` (the process died before
        the gateway recorded it), the bot texts it answered with (and their images); else None."""
        events = (await self.tracker(sender_id)).get("events", [])
        for index, event in enumerate(events):
            if event.get("event") == "user" and (event.get("metadata") or {}).get("gateway_message_id") == message_id:
                replies = []
                for later in events[index + 1 :]:
                    if later.get("event") == "user":
                        break
                    if later.get("event") == "bot":
                        image = (later.get("data") or {}).get("image")
                        replies.append({"text": later.get("text"), "image": image})
                return collect_output(replies)
        return None

    async def is_waiting_for(self, sender_id: str, slot: str) -> bool:
        tracker = await self.tracker(sender_id)
        return (tracker.get("active_loop") or {}).get("name") is not None and (tracker.get("slots") or {}).get(
            "requested_slot"
        ) == slot

    async def ready(self) -> bool:
        """Every replica answers."""
        for base_url in self.base_urls:
            try:
                response = await self._client.get(f"{base_url}/status", params={"token": self.token}, timeout=3)
            except httpx.HTTPError:
                return False
            if response.status_code != 200:
                return False
        return True
