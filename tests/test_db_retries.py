"""The one retry policy for transactions (`bot.db`): which failures run the work again, how often."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from bot.db import WRITE_ATTEMPTS, make_engine, make_session_factory, retry_on_disconnect, run_in_write_transaction
from bot.models import AuditEvent


class _Deadlock(Exception):
    sqlstate = "40P01"  # as psycopg reports PostgreSQL's "deadlock detected"


def _lost() -> DBAPIError:
    return DBAPIError("SELECT 1", {}, Exception("server closed the connection"), connection_invalidated=True)


def _failing(error, failures: int):
    calls = itertools.count(1)

    def work(*_session):
        call = next(calls)
        if call <= failures:
            raise error()
        return call

    return work, calls


@pytest.mark.parametrize(("failures", "outcome"), [(0, 1), (2, 3), (3, "raised")])
def test_a_lost_connection_is_tried_three_times(failures, outcome):
    work, _ = _failing(_lost, failures)
    try:
        result = retry_on_disconnect(work)
    except DBAPIError:
        result = "raised"
    assert result == outcome


def test_other_errors_are_not_retried_on_disconnect():
    work, calls = _failing(lambda: DBAPIError("SELECT 1", {}, Exception("syntax error")), 99)
    with pytest.raises(DBAPIError):
        retry_on_disconnect(work)
    assert next(calls) == 2  # called once


@pytest.fixture
def factory(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.mark.parametrize(
    ("error", "failures", "calls"),
    [
        (lambda: OperationalError("INSERT", {}, Exception("database is locked")), 2, 3),
        (lambda: OperationalError("INSERT", {}, Exception("database is locked")), 99, WRITE_ATTEMPTS),
        (lambda: OperationalError("UPDATE", {}, _Deadlock("deadlock detected")), 1, 2),
        (lambda: OperationalError("INSERT", {}, Exception("no such table: x")), 99, 1),
        (lambda: IntegrityError("INSERT", {}, Exception("duplicate key")), 99, 1),
    ],
)
def test_a_transaction_is_run_again_only_on_a_lock_conflict(factory, error, failures, calls):
    work, counter = _failing(error, failures)
    if failures < calls:
        assert run_in_write_transaction(factory, work) == calls
    else:
        with pytest.raises((OperationalError, IntegrityError)):
            run_in_write_transaction(factory, work)
        assert next(counter) == calls + 1


def test_a_failed_attempt_leaves_nothing_behind(factory):
    attempts = itertools.count(1)

    def work(session):
        attempt = next(attempts)
        session.add(AuditEvent(actor="test", action=f"attempt.{attempt}", detail={}))
        session.flush()
        if attempt < 3:
            raise OperationalError("INSERT", {}, Exception("database is locked"))

    run_in_write_transaction(factory, work)
    with factory() as s:
        assert [e.action for e in s.scalars(select(AuditEvent))] == ["attempt.3"]
