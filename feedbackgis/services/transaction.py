"""One way to run a use case's writes as a single transaction."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit when the block ends normally; roll back on any exception and re-raise it.

    BaseException too: a Ctrl-C in the middle of a long import must not leave the session
    half-flushed for whoever uses it next (the CLI's error handler, a test's fixture).
    """
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
