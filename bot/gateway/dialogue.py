"""Rasa over HTTP: one turn through the REST channel, and the tracker for recovery."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or failed: the message stays queued and is retried."""


class RasaClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 60.0,
                 client: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._client = client or httpx.AsyncClient(timeout=timeout, limits=httpx.Limits(max_connections=64))

    async def close(self) -> None:
        await self._client.aclose()

    async def turn(self, sender_id: str, text: str, metadata: dict[str, Any]) -> list[str]:
        """Send one customer message; the texts the bot answered with."""
        try:
            response = await self._client.post(
                f"{self.base_url}/webhooks/rest/webhook",
                json={"sender": sender_id, "message": text, "metadata": metadata},
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa unreachable: {exc.__class__.__name__}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {response.status_code}")
        return [m["text"] for m in response.json() if m.get("text")]

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        try:
            response = await self._client.get(f"{self.base_url}/conversations/{sender_id}/tracker",
                                               params={"token": self.token})
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa unreachable: {exc.__class__.__name__}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {response.status_code}")
        return response.json()

    async def replies_already_given(self, sender_id: str, message_id: int) -> list[str] | None:
        """When Rasa already handled our message `message_id` (the process died before
        the gateway recorded it), the bot texts it answered with; else None."""
        events = (await self.tracker(sender_id)).get("events", [])
        for index, event in enumerate(events):
            if event.get("event") == "user" and (event.get("metadata") or {}).get("gateway_message_id") == message_id:
                replies = []
                for later in events[index + 1:]:
                    if later.get("event") == "user":
                        break
                    if later.get("event") == "bot" and later.get("text"):
                        replies.append(later["text"])
                return replies
        return None

    async def is_waiting_for(self, sender_id: str, slot: str) -> bool:
        tracker = await self.tracker(sender_id)
        return (tracker.get("active_loop") or {}).get("name") is not None and \
            (tracker.get("slots") or {}).get("requested_slot") == slot

    async def ready(self) -> bool:
        try:
            response = await self._client.get(f"{self.base_url}/status", params={"token": self.token}, timeout=3)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
