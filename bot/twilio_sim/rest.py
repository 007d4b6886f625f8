"""The REST subset: /2010-04-01/Accounts/{AccountSid}/Messages[.json|/{Sid}.json] (their Media: media.py)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from bot.twilio_sim.auth import authenticate
from bot.twilio_sim.errors import TwilioApiError
from bot.twilio_sim.listing import list_page
from bot.twilio_sim.outbound import CreateRequest, create_message
from bot.twilio_sim.resource import API_VERSION, message_json
from bot.twilio_sim.state import SimState

FAILURE_CODES = {429: 20429, 500: 20500, 503: 20503}

router = APIRouter(prefix=f"/{API_VERSION}/Accounts/{{account_sid}}")


def sim_state(request: Request) -> SimState:
    state: SimState = request.app.state.sim
    return state


async def rest_call(request: Request, account_sid: str) -> SimState:
    """Every REST call: the injected latency first, then basic auth."""
    state = sim_state(request)
    latency = state.faults.latency_ms
    if latency > 0:
        await asyncio.sleep(latency / 1000)
    authenticate(request.headers.get("authorization"), account_sid, state.config.account_sid, state.config.auth_token)
    return state


RestState = Annotated[SimState, Depends(rest_call)]


@router.post("/Messages.json", status_code=201)
async def create(request: Request, state: RestState) -> JSONResponse:
    failure = state.faults.take_failure()
    if failure is not None:
        headers = {"Retry-After": str(failure.retry_after)} if failure.status == 429 else {}
        raise TwilioApiError(FAILURE_CODES[failure.status], status=failure.status, headers=headers)
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    media = [v for v in form.getlist("MediaUrl") if isinstance(v, str)]
    message = create_message(state, CreateRequest.from_form(fields, media))
    return JSONResponse(message_json(message, state.config.account_sid), status_code=201)


@router.get("/Messages.json")
async def list_messages(request: Request, state: RestState) -> JSONResponse:
    query = dict(request.query_params)
    to, from_ = query.get("To"), query.get("From")
    candidates = state.store.messages(lambda m: (not to or m.to == to) and (not from_ or m.from_ == from_))
    return JSONResponse(list_page(candidates, query, state.config.account_sid))


@router.get("/Messages/{sid}.json")
async def fetch(sid: str, request: Request, state: RestState) -> JSONResponse:
    message = state.store.get(sid)
    if message is None:
        raise TwilioApiError(20404, path=request.url.path)
    return JSONResponse(message_json(message, state.config.account_sid))


@router.delete("/Messages/{sid}.json", status_code=204)
async def delete(sid: str, request: Request, state: RestState) -> Response:
    if not state.store.delete(sid):
        raise TwilioApiError(20404, path=request.url.path)
    return Response(status_code=204)


@router.api_route("/{anything:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
async def not_simulated(request: Request, state: RestState) -> Response:
    """Resources the simulator does not have answer as unknown ones do on Twilio."""
    raise TwilioApiError(20404, path=request.url.path)
