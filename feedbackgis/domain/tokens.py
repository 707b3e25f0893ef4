"""Capability tokens (follow-up, confirm and unsubscribe links): long secrets, stored hashed.

A token is derived from the app's secret key and a random nonce kept with the row:
HMAC-SHA256(secret, purpose:nonce). The database holds the nonce and the token's hash
(for lookups), never the token, yet a background job that emails the link later can derive
it again. Without the secret key, neither a database dump nor the nonce gives the token.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

NONCE_BYTES = 32

# Purposes: the nonce is random per row, so a purpose only tells a row's tokens apart.
FOLLOW_UP = "follow-up"  # the reporter's follow-up page
CONFIRM = "confirm"  # confirming an area subscription or a report follower
UNSUBSCRIBE = "unsubscribe"  # their one-click way out
WORK_ORDER = "work-order"  # a contractor's one work order, without an account
FIX_CHECK = "fix-check"  # "is it fixed?": the reporter's and the followers' answers


def new_nonce() -> str:
    return secrets.token_hex(NONCE_BYTES)


def derive_token(secret_key: str, purpose: str, nonce: str) -> str:
    digest = hmac.new(secret_key.encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")


def hash_token(token: str) -> str:
    # A plain SHA-256 is enough: the token has 256 bits of entropy, so no salt or
    # slow hash is needed to resist guessing.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), token_hash)
