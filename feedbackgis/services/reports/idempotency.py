"""Idempotency keys on submission: a phone that resends gets the first answer, not a
second report.

The key is claimed in the transaction that stores the report, with INSERT ... ON CONFLICT
DO NOTHING on a unique hash: two copies of one request arriving together serialise on that
index, so the second waits for the first to commit and then replays its answer. A request
that fails (a wrong category, a database that went away) rolls its claim back with
everything else, so the resend is free to try again.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from feedbackgis.errors import InvalidInput
from feedbackgis.models import IdempotentRequest

HEADER = "Idempotency-Key"
# A resend within this time gets the first answer; after it, the key may be used anew.
KEY_VALID = timedelta(hours=24)
KEY_MAX_LENGTH = 255
# Visible ASCII: what UUIDs, ULIDs and random tokens are made of, and what a header carries.
KEY_PATTERN = re.compile(rf"[\x21-\x7e]{{1,{KEY_MAX_LENGTH}}}")


@dataclass(frozen=True)
class IdempotencyKey:
    key: str
    operation: str  # e.g. "POST /api/v1/reports": a key means nothing to another operation
    fingerprint: str  # of the request body

    @classmethod
    def of_request(cls, key: str, operation: str, body: dict[str, Any]) -> IdempotencyKey:
        if not KEY_PATTERN.fullmatch(key):
            raise InvalidInput(
                f"Must be 1 to {KEY_MAX_LENGTH} visible ASCII characters, such as a UUID.",
                field=HEADER)
        return cls(key=key, operation=operation, fingerprint=fingerprint(body))

    @property
    def key_hash(self) -> str:
        return hashlib.sha256(f"{self.operation}\n{self.key}".encode()).hexdigest()


def fingerprint(body: dict[str, Any]) -> str:
    """The body as parsed: key order and white space do not make another request."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim_key(session: Session, key: IdempotencyKey, now: datetime) -> IdempotentRequest | None:
    """Claim the key for this request (None), or return the earlier request that holds it.

    Raises InvalidInput when the key was used with another body. Does not commit.
    """
    session.execute(delete(IdempotentRequest).where(
        IdempotentRequest.key_hash == key.key_hash,
        IdempotentRequest.created_at < now - KEY_VALID))
    claimed = session.scalar(
        insert(IdempotentRequest)
        .values(key_hash=key.key_hash, operation=key.operation, fingerprint=key.fingerprint,
                response={})
        .on_conflict_do_nothing(index_elements=["key_hash"])
        .returning(IdempotentRequest.id)
    )
    if claimed is not None:
        return None
    earlier = session.scalars(
        select(IdempotentRequest).where(IdempotentRequest.key_hash == key.key_hash)
    ).one()
    if earlier.fingerprint != key.fingerprint:
        raise InvalidInput(
            "This Idempotency-Key was already used for a different request body. A resend "
            "must repeat the body exactly; a new report needs a new key.", field=HEADER)
    return earlier


def record_outcome(session: Session, key: IdempotencyKey, report_id: int,
                   response: dict[str, Any]) -> None:
    """Keep what the claimed request created and answered (no secrets: see the model)."""
    row = session.scalars(
        select(IdempotentRequest).where(IdempotentRequest.key_hash == key.key_hash)
    ).one()
    row.report_id = report_id
    row.response = response


def prune_keys(session: Session, now: datetime) -> int:
    """Delete keys older than KEY_VALID (the nightly housekeeping); commits."""
    result = session.execute(
        delete(IdempotentRequest).where(IdempotentRequest.created_at < now - KEY_VALID))
    session.commit()
    return result.rowcount
