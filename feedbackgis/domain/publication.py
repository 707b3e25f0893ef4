"""When a report may appear on the public map."""
from __future__ import annotations

import enum


class PublishPolicy(enum.StrEnum):
    IMMEDIATE = "immediate"  # public on the map as soon as it is submitted
    MODERATED = "moderated"  # public after staff have checked it
    NEVER = "never"  # never public (e.g. reports about people)


def public_on_submission(policy: PublishPolicy, *, personal_data_found: bool = False) -> bool:
    """Only categories published at once are public before staff have looked at them, and
    not even those when the text seems to hold personal data: a moderator looks first."""
    return policy is PublishPolicy.IMMEDIATE and not personal_data_found


def needs_moderation(policy: PublishPolicy, *, personal_data_found: bool = False) -> bool:
    """Whether a new report waits in the moderation queue (never for unpublished categories)."""
    if policy is PublishPolicy.NEVER:
        return False
    return policy is PublishPolicy.MODERATED or personal_data_found
