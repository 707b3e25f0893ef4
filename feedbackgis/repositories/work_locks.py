"""PostgreSQL advisory locks that say "this process is doing that piece of work now".

A lock is taken with pg_try_advisory_lock on a connection of its own, not the session's,
so the session's commits (a job's progress) do not release it; PostgreSQL releases it when
the block ends or when the connection dies with its process (a worker killed with -9), so
a crashed worker's work is free to be done again at once, with no staleness time to wait.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select
from sqlalchemy.orm import Session

# The first key of each kind of work (the second is the row's id).
PREPARED_FILE = 10


@contextmanager
def work_lock(session: Session, kind: int, key: int) -> Iterator[bool]:
    """Whether this process holds the lock of (kind, key) for the block: False when
    another holds it (and then nothing is waited for)."""
    engine = session.get_bind().engine
    with engine.connect() as connection:
        held = bool(connection.scalar(select(func.pg_try_advisory_lock(kind, key))))
        connection.commit()  # the lock is the session's: no transaction is kept open
        try:
            yield held
        finally:
            if held:
                try:
                    connection.scalar(select(func.pg_advisory_unlock(kind, key)))
                    connection.commit()
                except BaseException:
                    connection.invalidate()  # never back to the pool still holding it
                    raise
