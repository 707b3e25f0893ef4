"""Capability tokens (follow-up links): long random secrets, stored only as hashes."""
from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32  # 256 bits: not guessable, not enumerable


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    # A plain SHA-256 is enough: the token has 256 bits of entropy, so no salt or
    # slow hash is needed to resist guessing.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), token_hash)
