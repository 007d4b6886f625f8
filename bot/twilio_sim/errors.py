"""Twilio's REST error body: {"code", "message", "more_info", "status"}, and the codes used."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

MORE_INFO = "https://www.twilio.com/docs/errors/{code}"

# Twilio's wording for the errors the simulator produces (or can be told to produce).
MESSAGES: dict[int, str] = {
    20003: "Authenticate",
    20404: "The requested resource {path} was not found",
    20429: "Too Many Requests",
    20500: "Internal Server Error",
    20503: "Service Unavailable",
    21211: "The 'To' number {to} is not a valid phone number.",
    21212: "The 'From' number {from_} is not a valid phone number, shortcode, or alphanumeric sender ID.",
    21602: "Message body is required.",
    21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21606: "The 'From' phone number provided ({from_}) is not a valid message-capable Twilio phone number "
    "for this destination.",
    21610: "Attempt to send to unsubscribed recipient",
    21612: "The 'To' phone number is not currently reachable via SMS.",
    21614: "'To' number is not a valid mobile number",
    21617: "The concatenated message body exceeds the 1600 character limit.",
    21655: "The ContentSid is Invalid.",
    21656: "The ContentVariables Parameter is invalid.",
    21701: "The Messaging Service Sid {service} is invalid.",
    21910: "Invalid From and To pair. From and To should be of the same channel",
    30001: "Queue overflow",
    30002: "Account suspended",
    30003: "Unreachable destination handset",
    30004: "Message blocked",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30007: "Message filtered",
    30008: "Unknown error",
    30034: "Message from an unregistered number",
    63003: "Channel could not find To address",
    63016: "Failed to send freeform message because you are outside the allowed window. "
    "If you are using WhatsApp, please use a Message Template.",
    63024: "Invalid message recipient",
}

# Error codes whose HTTP status is not 400.
HTTP_STATUS: dict[int, int] = {20003: 401, 20404: 404, 20429: 429, 20500: 500, 20503: 503}


def message_for(code: int, **fields: str) -> str:
    template = MESSAGES.get(code, f"Error {code}")
    try:
        return template.format(**fields)
    except (KeyError, IndexError):
        return template.split(" {")[0]


class TwilioApiError(Exception):
    """An error the REST API answers with Twilio's JSON error body."""

    def __init__(
        self,
        code: int,
        status: int | None = None,
        message: str | None = None,
        headers: dict[str, str] | None = None,
        **fields: str,
    ) -> None:
        self.code = code
        self.status = status or HTTP_STATUS.get(code, 400)
        self.message = message or message_for(code, **fields)
        self.headers = headers or {}
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "more_info": MORE_INFO.format(code=self.code),
            "status": self.status,
        }
        if self.code == 20003:
            body["detail"] = "Your AccountSid or AuthToken was incorrect."
        return body

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)
