"""When a report may appear on the public map."""
from __future__ import annotations

import enum


class PublishPolicy(enum.StrEnum):
    IMMEDIATE = "immediate"  # public on the map as soon as it is submitted
    MODERATED = "moderated"  # public after staff have checked it
    NEVER = "never"  # never public (e.g. reports about people)


def public_on_submission(policy: PublishPolicy) -> bool:
    """Only categories published at once are public before staff have looked at them."""
    return policy is PublishPolicy.IMMEDIATE
