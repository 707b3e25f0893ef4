"""The per-client rate limits of the pages and the API, each a decorator for a view.

Shared scopes: a submission through the form and one through the API count against the same
limit, and so do the follow-up actions. A limited client gets 429 with Retry-After.
"""
from __future__ import annotations

from flask import current_app

from feedbackgis.extensions import limiter

submission_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_SUBMISSIONS"], scope="submissions")
follow_up_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_FOLLOW_UPS"], scope="follow-ups")
upload_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_UPLOADS"], scope="uploads")
