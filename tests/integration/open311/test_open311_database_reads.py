"""GeoReport v2 reads in the database: datetimes as PostgreSQL writes them
(repositories/open311_documents._w3c), W3C with the zone's offset on that day computed in the
statement (no session TimeZone); and a read's transaction ended by COMMIT."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, literal, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.types import DateTime

from feedbackgis.extensions import db
from feedbackgis.repositories.open311_documents import _w3c


def written(session: Session, moment: datetime | None, zone: str) -> str | None:
    value = literal(moment, DateTime(timezone=True))
    return session.scalar(select(_w3c(value)), {"time_zone": zone})


@pytest.mark.parametrize(("moment", "zone", "expected"), [
    # Helsinki in winter (EET) and in summer (EEST).
    (datetime(2026, 12, 15, 14, 0, tzinfo=UTC), "Europe/Helsinki", "2026-12-15T16:00:00+02:00"),
    (datetime(2026, 7, 1, 9, 30, 5, tzinfo=UTC), "Europe/Helsinki", "2026-07-01T12:30:05+03:00"),
    # The hour the clocks go forward (03:00 local becomes 04:00 at 01:00 UTC).
    (datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC), "Europe/Helsinki",
     "2026-03-29T02:59:59+02:00"),
    (datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC), "Europe/Helsinki", "2026-03-29T04:00:00+03:00"),
    # A negative offset with half an hour, and the date before midnight UTC.
    (datetime(2026, 1, 2, 1, 0, tzinfo=UTC), "America/St_Johns", "2026-01-01T21:30:00-03:30"),
    (datetime(2026, 1, 2, 1, 0, tzinfo=UTC), "UTC", "2026-01-02T01:00:00+00:00"),
])
def test_a_datetime_has_the_zones_offset_of_its_day(session: Session, moment: datetime,
                                                    zone: str, expected: str) -> None:
    assert written(session, moment, zone) == expected


def test_none_stays_none(session: Session) -> None:
    assert written(session, None, "Europe/Helsinki") is None


def test_the_sessions_own_time_zone_does_not_change_it(session: Session) -> None:
    session.execute(text("SET LOCAL TimeZone = 'America/Los_Angeles'"))
    moment = datetime(2026, 12, 15, 14, 0, tzinfo=UTC)
    assert written(session, moment, "Europe/Helsinki") == "2026-12-15T16:00:00+02:00"


# --- how a read ends ------------------------------------------------------------------------

@pytest.fixture
def transaction_ends(committed):  # noqa: ANN001, ANN201 - a fixture of conftest
    """The COMMITs and ROLLBACKs the app's engine sends (its commits are real: `committed`)."""
    ends: list[str] = []
    listeners = [(name, lambda _conn, name=name: ends.append(name))
                 for name in ("commit", "rollback")]
    for name, listener in listeners:
        event.listen(db.engine, name, listener)
    yield ends
    for name, listener in listeners:
        event.remove(db.engine, name, listener)


def test_a_read_ends_its_transaction_with_commit_so_its_statements_stay_prepared(
        client: FlaskClient, transaction_ends: list[str]) -> None:
    # psycopg forgets a connection's prepared statements on every ROLLBACK.
    for _ in range(3):
        assert client.get("/open311/v2/requests/999999.json").status_code == 404
    assert transaction_ends == ["commit"] * 3


def test_a_refused_post_still_ends_with_rollback(client: FlaskClient,
                                                transaction_ends: list[str]) -> None:
    assert client.post("/open311/v2/requests.json",
                       data={"api_key": "x" * 43, "service_code": "x"}).status_code == 403
    assert "commit" not in transaction_ends


def test_a_read_whose_connection_dies_answers_503_not_500(client: FlaskClient, monkeypatch,
                                                         transaction_ends: list[str]) -> None:
    # The read's own connection is terminated (as PostgreSQL restarting would) under its
    # statement: the answer is the spec's 503, and ending the dead transaction after it
    # must not turn that into a 500.
    from feedbackgis.open311 import reads

    def on_a_killed_connection(session, *args, **kwargs):  # noqa: ANN001, ANN202
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        raise AssertionError("the connection outlived its termination")

    monkeypatch.setattr(reads, "get_request", on_a_killed_connection)
    response = client.get("/open311/v2/requests/1.json")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "commit" not in transaction_ends


def test_ending_a_read_whose_connection_died_rolls_it_back_instead(app, committed) -> None:  # noqa: ANN001
    with app.app_context():
        with pytest.raises(OperationalError):
            db.session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        db.end_read_transaction()  # no PendingRollbackError
        assert not db.session().in_transaction()
        assert db.session.execute(text("SELECT 1")).scalar() == 1  # a new connection works
