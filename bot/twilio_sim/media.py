"""The Media subresource of a Message: /2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/
Media.json (list), Media/{Sid}.json (fetch, delete) and Media/{Sid} (the content, as the
MediaUrl of the incoming-message webhook). All behind the REST API's basic auth."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from bot.twilio_sim.errors import TwilioApiError
from bot.twilio_sim.listing import date_filters, date_matches, page_of
from bot.twilio_sim.resource import API_VERSION, account_uri, media_json
from bot.twilio_sim.rest import RestState
from bot.twilio_sim.sids import is_sid
from bot.twilio_sim.state import SimState
from bot.twilio_sim.store import StoredMedia

LIST_FILTERS = ("DateCreated", "DateCreated<", "DateCreated>")

router = APIRouter(prefix=f"/{API_VERSION}/Accounts/{{account_sid}}/Messages/{{message_sid}}")


def _media(state: SimState, request: Request, message_sid: str, sid: str) -> StoredMedia:
    """The media `sid` of message `message_sid` (the path's account is checked by auth)."""
    media = state.store.get_media(sid) if is_sid("ME", sid) else None
    if media is None or media.parent_sid != message_sid or state.store.get(message_sid) is None:
        raise TwilioApiError(20404, path=request.url.path)
    return media


@router.get("/Media.json")
async def list_media(message_sid: str, request: Request, state: RestState) -> JSONResponse:
    if not is_sid("SM", message_sid) or state.store.get(message_sid) is None:
        raise TwilioApiError(20404, path=request.url.path)
    query = dict(request.query_params)
    dates = date_filters(query, "DateCreated")
    selected = [
        m
        for m in state.store.media_of(message_sid)
        if all(date_matches(m.date_created, op, day, exact) for op, day, exact in dates)
    ]
    account_sid = state.config.account_sid
    base = f"{account_uri(account_sid)}/Messages/{message_sid}/Media.json"
    filters = [(name, query[name]) for name in LIST_FILTERS if query.get(name)]
    items, fields = page_of(selected, lambda m: m.sid, query, base, filters)
    return JSONResponse({"media_list": [media_json(m, account_sid) for m in items], **fields})


@router.get("/Media/{sid}.json")
async def fetch_media(message_sid: str, sid: str, request: Request, state: RestState) -> JSONResponse:
    return JSONResponse(media_json(_media(state, request, message_sid, sid), state.config.account_sid))


@router.delete("/Media/{sid}.json", status_code=204)
async def delete_media(message_sid: str, sid: str, request: Request, state: RestState) -> Response:
    state.store.delete_media(_media(state, request, message_sid, sid).sid)
    return Response(status_code=204)


@router.get("/Media/{sid}")
async def media_content(message_sid: str, sid: str, request: Request, state: RestState) -> Response:
    """The bytes with the type the customer's phone gave them, as Twilio serves media."""
    media = _media(state, request, message_sid, sid)
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}
    return Response(media.data, media_type=media.content_type, headers=headers)
