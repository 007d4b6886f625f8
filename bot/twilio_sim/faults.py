"""Fault injection: added latency, failing create calls, per-number errors and delivery failures."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Literal

from bot.twilio_sim.addresses import split

FAILABLE_STATUSES = (429, 500, 503)
# Carrier-reported errors end `undelivered` (after `sent`); the rest end `failed`.
UNDELIVERED_CODES = frozenset({30003, 30004, 30005, 30006, 30007, 30008, 30034})

DeliveryStatus = Literal["failed", "undelivered"]


class FaultError(ValueError):
    """The fault description is malformed; the message says which part."""


@dataclass
class FailNext:
    status: int
    count: int
    retry_after: int = 1


@dataclass(frozen=True)
class Failure:
    status: int
    retry_after: int


@dataclass(frozen=True)
class DeliveryFailure:
    code: int
    status: DeliveryStatus


def _code(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise FaultError(f"{where}: an error code (integer) is required, got {value!r}")
    return int(value)


def _number_map(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FaultError(f"{where}: a map of phone number to error code is required")
    return {str(k).strip(): v for k, v in value.items()}


def _delivery_failure(value: Any, where: str) -> DeliveryFailure:
    if isinstance(value, dict):
        code = _code(value.get("code"), f"{where}.code")
        status = value.get("status") or ("undelivered" if code in UNDELIVERED_CODES else "failed")
        if status not in ("failed", "undelivered"):
            raise FaultError(f"{where}.status: 'failed' or 'undelivered', got {status!r}")
        return DeliveryFailure(code, status)
    code = _code(value, where)
    return DeliveryFailure(code, "undelivered" if code in UNDELIVERED_CODES else "failed")


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latency_ms: float = 0.0
        self.fail_next: list[FailNext] = []
        self.error_codes: dict[str, int] = {}
        self.fail_delivery: dict[str, DeliveryFailure] = {}

    def apply(self, spec: dict[str, Any]) -> None:
        """Set the faults named in `spec` (the others are kept). Validates everything first."""
        if not isinstance(spec, dict):
            raise FaultError("a JSON object is required")
        unknown = set(spec) - {"latency_ms", "fail_next", "error_codes", "fail_delivery"}
        if unknown:
            raise FaultError(f"unknown fault(s): {', '.join(sorted(unknown))}")
        latency = self.latency_ms
        if "latency_ms" in spec:
            value = spec["latency_ms"]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise FaultError("latency_ms: a number ≥ 0 is required")
            latency = float(value)
        fail_next = None
        if "fail_next" in spec:
            if not isinstance(spec["fail_next"], list):
                raise FaultError("fail_next: a list of {status, count} is required")
            fail_next = []
            for i, item in enumerate(spec["fail_next"]):
                if not isinstance(item, dict) or item.get("status") not in FAILABLE_STATUSES:
                    raise FaultError(f"fail_next[{i}].status: one of {FAILABLE_STATUSES} is required")
                count, retry_after = item.get("count", 1), item.get("retry_after", 1)
                if not isinstance(count, int) or count < 1 or not isinstance(retry_after, int) or retry_after < 0:
                    raise FaultError(f"fail_next[{i}]: count ≥ 1 and retry_after ≥ 0 must be integers")
                fail_next.append(FailNext(item["status"], count, retry_after))
        error_codes = None
        if "error_codes" in spec:
            raw = _number_map(spec["error_codes"], "error_codes")
            error_codes = {k: _code(v, f"error_codes[{k}]") for k, v in raw.items()}
        fail_delivery = None
        if "fail_delivery" in spec:
            raw = _number_map(spec["fail_delivery"], "fail_delivery")
            fail_delivery = {k: _delivery_failure(v, f"fail_delivery[{k}]") for k, v in raw.items()}
        with self._lock:
            self.latency_ms = latency
            if fail_next is not None:
                self.fail_next = fail_next
            if error_codes is not None:
                self.error_codes = error_codes
            if fail_delivery is not None:
                self.fail_delivery = fail_delivery

    def clear(self) -> None:
        with self._lock:
            self.latency_ms, self.fail_next, self.error_codes, self.fail_delivery = 0.0, [], {}, {}

    def take_failure(self) -> Failure | None:
        """The failure the next create call answers with, consumed in order."""
        with self._lock:
            if not self.fail_next:
                return None
            head = self.fail_next[0]
            head.count -= 1
            if head.count <= 0:
                self.fail_next.pop(0)
            return Failure(head.status, head.retry_after)

    @staticmethod
    def _lookup(table: dict[str, Any], to: str) -> Any:
        """Exact address first ('whatsapp:+91…' only on WhatsApp), then the bare number."""
        return table.get(to.strip()) or table.get(split(to).phone)

    def create_error(self, to: str) -> int | None:
        with self._lock:
            return self._lookup(self.error_codes, to)

    def delivery_failure(self, to: str) -> DeliveryFailure | None:
        with self._lock:
            return self._lookup(self.fail_delivery, to)

    def as_json(self) -> dict[str, Any]:
        with self._lock:
            return {
                "latency_ms": self.latency_ms,
                "fail_next": [
                    {"status": f.status, "count": f.count, "retry_after": f.retry_after} for f in self.fail_next
                ],
                "error_codes": dict(self.error_codes),
                "fail_delivery": {k: {"code": v.code, "status": v.status} for k, v in self.fail_delivery.items()},
            }
