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
# Password guessing from one client, and reset emails asked for from one client. Only the
# POSTs count: opening the forms is free.
staff_login_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_STAFF_LOGINS"], scope="staff-logins",
    methods=["POST"])
staff_password_reset_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_STAFF_PASSWORD_RESETS"],
    scope="staff-password-resets", methods=["POST"])
