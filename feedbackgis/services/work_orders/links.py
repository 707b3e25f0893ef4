"""The work-order link: one report's work order for its contractor, without an account.

A capability token like the follow-up link's (domain/tokens.py), derived from the secret
key and report.work_order_nonce, stored nowhere. The link names the report's id beside the
token, so it is checked by deriving the token again and comparing in constant time (no hash
column to look it up by). A new nonce on every assignment to a party and none once the
report leaves its party or the open statuses: a link sent before stops working.
"""
from __future__ import annotations

import hmac

from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import OPEN_STATUSES
from feedbackgis.domain.tokens import WORK_ORDER, derive_token, new_nonce
from feedbackgis.errors import NotFound
from feedbackgis.models import PartyKind, Report

# A derived token is 43 characters; anything much longer is no token of ours.
TOKEN_MAX_LENGTH = 100
INVALID = "This work-order link does not open a work order (any more)."


def renew_work_order_link(report: Report) -> None:
    """The report was given to a party: a fresh link, and the ones sent before end."""
    report.work_order_nonce = new_nonce()


def end_work_order_link(report: Report) -> None:
    """The report left its party or the open statuses: no link opens it."""
    report.work_order_nonce = None


def work_order_token(secret_key: str, report: Report) -> str | None:
    """The token of the report's current link; None when it has none."""
    if report.work_order_nonce is None:
        return None
    return derive_token(secret_key, WORK_ORDER, report.work_order_nonce)


def link_opens(report: Report, token: str, secret_key: str) -> bool:
    """Whether `token` is the current link of the report's open work order at a contractor."""
    if not isinstance(token, str) or len(token) > TOKEN_MAX_LENGTH:
        return False
    expected = work_order_token(secret_key, report)
    party = report.assigned_party
    if (expected is None or report.status not in OPEN_STATUSES or party is None
            or party.kind is not PartyKind.CONTRACTOR or not party.active):
        return False
    return hmac.compare_digest(expected.encode(), token.encode("utf-8", "replace"))


def report_of_link(session: Session, report_id: int, token: str, secret_key: str) -> Report:
    """The report whose work order the link opens; NotFound alike for every other case
    (no such report, a wrong, an old or an ended link)."""
    report = session.get(Report, report_id)
    if report is None or not link_opens(report, token, secret_key):
        raise NotFound(INVALID)
    return report
