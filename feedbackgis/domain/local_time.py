"""A datetime a client wrote without an offset is the municipality's local time: one rule
for every Open311 input (GET dates, POSTed and pulled updates)."""
from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo


def aware(moment: datetime | None, zone: tzinfo | str) -> datetime | None:
    """`moment` as it is when it has an offset, else read in `zone` (a tzinfo or its name)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(zone) if isinstance(zone, str) else zone)
