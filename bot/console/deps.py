"""The console's request-scoped dependencies (in the style of the FastAPI full-stack
template's `deps.py`): one database session and one transaction per request.

The route that serves the request owns the unit of work: the services it calls take the
`Session` and never commit; the transaction commits when the route returns and rolls back
when it raises (an `HTTPException` included)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session


def get_session(request: Request) -> Iterator[Session]:
    """A session in a transaction from the application's sessionmaker, committed at the
    end of a successful request and rolled back on error."""
    with request.app.state.factory.begin() as session:
        yield session


# scope="function": the transaction ends when the route returns, before the response is
# sent (a failed commit is a 500, not a redirect; the next page sees what was written).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
