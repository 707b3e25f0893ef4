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

from feedbackgis.domain.tokens import CONFIRM, FOLLOW_UP, UNSUBSCRIBE, derive_token
from feedbackgis.models import AreaSubscription, Report, ReportFollower

# Path segments of web/subscriptions.py's confirm and unsubscribe routes.
SUBSCRIPTION = "subscription"
FOLLOWER = "follower"


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

    def public_report(self, report_id: int, language: str) -> str:
        """The report's public page (web.public_report)."""
        return _in_language(self.absolute(f"/reports/{report_id}"), language)


def openstreetmap_url(lon: float, lat: float) -> str:
    """The place on openstreetmap.org, marked and zoomed in to street level."""
    lat_text, lon_text = f"{lat:.6f}", f"{lon:.6f}"
    return (f"https://www.openstreetmap.org/?mlat={lat_text}&mlon={lon_text}"
            f"#map=18/{lat_text}/{lon_text}")
