"""Benchmark only: the floor — a web process that does nothing but what every webhook
endpoint must (read the form, answer empty TwiML) on the same stack as the app (FastAPI,
uvicorn with uvloop and httptools), in its own process. Posted to at the same time as
the app's /twilio/inbound, it shows how much of the acknowledgement latency is the
machine (waiting for a CPU while Rasa and the rest keep both busy) rather than the app.

    python benchmarks/gateway_support/floor_app.py PORT
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI, Request, Response

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/twilio/inbound")
async def inbound(request: Request) -> Response:
    await request.form()
    return Response(EMPTY_TWIML, media_type="text/xml")


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
