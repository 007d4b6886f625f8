"""HTTP basic auth with the account SID and auth token, as the REST API requires."""

from __future__ import annotations

import base64
import binascii
import hmac

from bot.twilio_sim.errors import TwilioApiError

CHALLENGE = {"WWW-Authenticate": 'Basic realm="Twilio API"'}


def credentials(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def authenticate(header: str | None, path_account_sid: str, account_sid: str, auth_token: str) -> None:
    """Raise 401/20003 unless the credentials are the account's and the path names that account."""
    given = credentials(header)
    ok = (
        given is not None
        and hmac.compare_digest(given[0].encode(), account_sid.encode())
        and hmac.compare_digest(given[1].encode(), auth_token.encode())
        and path_account_sid == account_sid
    )
    if not ok:
        raise TwilioApiError(20003, headers=dict(CHALLENGE))
