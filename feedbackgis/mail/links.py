"""The absolute links that emails carry, built in one place.

Mail is composed by background jobs, outside any request, so `url_for` cannot build these;
every link is the configured PUBLIC_BASE_URL plus a path defined here. Capability tokens are
derived again from the secret key and the row's nonce (domain/tokens.py): nothing secret is
stored to send a link later.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from feedbackgis.domain.tokens import (
    CONFIRM,
    FIX_CHECK,
    FOLLOW_UP,
    UNSUBSCRIBE,
    WORK_ORDER,
    derive_token,
)
from feedbackgis.models import AreaSubscription, Report, ReportFollower

# Path segments of web/subscriptions.py's confirm and unsubscribe routes.
SUBSCRIPTION = "subscription"
FOLLOWER = "follower"
# Path segment of web/fix_check.py's answer page for the reporter (followers: FOLLOWER).
REPORTER = "reporter"


def _in_language(url: str, language: str) -> str:
    # ?lang=: the page opens in the language of the email, not the browser's.
    return f"{url}?lang={language}"


@dataclass(frozen=True)
class Links:
    base_url: str
    secret_key: str
    # The municipality's DEFAULT_LANGUAGE: the language of mail to parties (a unit or a
    # contractor has no language of its own) and of the staff pages the work order link opens.
    default_language: str = "fi"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Links:
        return cls(base_url=config["PUBLIC_BASE_URL"], secret_key=config["SECRET_KEY"],
                   default_language=config.get("DEFAULT_LANGUAGE", "fi"))

    def absolute(self, path: str) -> str:
        """`path` (starting with "/") under the public base URL, whether or not it ends in /."""
        return f"{self.base_url.rstrip('/')}{path}"

    def _token(self, purpose: str, row: AreaSubscription | ReportFollower) -> str:
        return derive_token(self.secret_key, purpose, row.token_nonce)

    def follow_up(self, report: Report) -> str:
        """The reporter's private page (web.follow_up); the token is a capability: never
        send it to anyone but the reporter."""
        token = derive_token(self.secret_key, FOLLOW_UP, report.follow_up_nonce)
        return self.absolute(f"/follow/{token}")

    def work_order(self, report: Report) -> str:
        """The staff page of the report, for the responsible party (behind a login)."""
        return self.absolute(f"/staff/reports/{report.id}")

    def work_order_link(self, report: Report) -> str | None:
        """The work order itself, without an account (web/work/): for the contractor the
        report is assigned to, never anyone else. None when the report has no link (no
        party, or no longer open); a link ends when the report is reassigned or closed."""
        if report.work_order_nonce is None:
            return None
        token = derive_token(self.secret_key, WORK_ORDER, report.work_order_nonce)
        return _in_language(self.absolute(f"/work/link/{report.id}/{token}"),
                            self.default_language)

    def follower_unsubscribe(self, follower: ReportFollower) -> str:
        """One-click unsubscribe of one follower (RFC 8058: a POST to this URL suffices)."""
        token = self._token(UNSUBSCRIBE, follower)
        return _in_language(self.absolute(f"/unsubscribe/{FOLLOWER}/{token}"), follower.language)

    def follower_confirm(self, follower: ReportFollower) -> str:
        token = self._token(CONFIRM, follower)
        return _in_language(self.absolute(f"/confirm/{FOLLOWER}/{token}"), follower.language)

    def subscription_confirm(self, subscription: AreaSubscription) -> str:
        token = self._token(CONFIRM, subscription)
        return _in_language(self.absolute(f"/confirm/{SUBSCRIPTION}/{token}"),
                            subscription.language)

    def subscription_unsubscribe(self, subscription: AreaSubscription) -> str:
        """One-click unsubscribe of an area subscription (RFC 8058)."""
        token = self._token(UNSUBSCRIBE, subscription)
        return _in_language(self.absolute(f"/unsubscribe/{SUBSCRIPTION}/{token}"),
                            subscription.language)

    def fix_check_of_reporter(self, report: Report, answer: str) -> str:
        """The reporter's one-click answer `answer` ("yes" or "no") to "is it fixed?"
        (web.fix_check): a capability of its own, derived from the follow-up nonce."""
        token = derive_token(self.secret_key, FIX_CHECK, report.follow_up_nonce)
        return self._answer(f"/fixed/{REPORTER}/{report.id}/{token}", answer, report.language)

    def fix_check_of_follower(self, follower: ReportFollower, answer: str) -> str:
        """A follower's one-click answer to "is it fixed?", from their token nonce."""
        token = self._token(FIX_CHECK, follower)
        return self._answer(f"/fixed/{FOLLOWER}/{follower.id}/{token}", answer,
                            follower.language)

    def _answer(self, path: str, answer: str, language: str) -> str:
        return f"{self.absolute(path)}?answer={answer}&lang={language}"

    def public_report(self, report_id: int, language: str) -> str:
        """The report's public page (web.public_report)."""
        return _in_language(self.absolute(f"/reports/{report_id}"), language)


def openstreetmap_url(lon: float, lat: float) -> str:
    """The place on openstreetmap.org, marked and zoomed in to street level."""
    lat_text, lon_text = f"{lat:.6f}", f"{lon:.6f}"
    return (f"https://www.openstreetmap.org/?mlat={lat_text}&mlon={lon_text}"
            f"#map=18/{lat_text}/{lon_text}")
