"""When a report may appear on the public map."""
from __future__ import annotations

from feedbackgis.models.category import PublishPolicy


def public_on_submission(policy: PublishPolicy) -> bool:
    """Only categories published at once are public before staff have looked at them."""
    return policy is PublishPolicy.IMMEDIATE
