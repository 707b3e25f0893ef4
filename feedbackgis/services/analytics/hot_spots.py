"""Recurring hot spots: the same problem reported again and again at one place.

Nightly (jobs/maintenance.find_hot_spots, and `feedbackgis hotspots find`) the reports of
the last twelve months are clustered per category with DBSCAN in the metric CRS: a report
joins a hot spot when at least `min_reports` reports of its category (itself included) lie
within `distance_m` metres of it, or of a report that does. Each run replaces every hot spot
in one transaction (models/hot_spot.py). The page (web/figures/hot_spots.py) reads them
within the reader's scope; they are for staff only and reach no public page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.errors import InvalidInput
from feedbackgis.repositories.hot_spots import (
    HotSpotRow,
    hot_spots_computed_at,
    read_hot_spots,
    read_party_hot_spots,
    record_hot_spots_run,
    replace_hot_spots,
)

# Which reports count: every report with a point, in any status but these two. A withdrawn
# report is one its reporter took back, and a rejected one is not a problem at all (spam, a
# mistake): neither says the place has a problem. A duplicate does count: it is exactly the
# same problem reported again, which is what a recurring hot spot is. Fixed, closed and "not
# ours" reports count too: a streetlight fixed three times this year is the hot spot.
LEFT_OUT = frozenset({ReportStatus.WITHDRAWN, ReportStatus.REJECTED})
LOOK_BACK_MONTHS = 12
MAX_DISTANCE_M = 1000.0  # beyond this a "spot" is a district; a typo, not a choice
# The page lists (and maps) this many, most reports first: the places to act on, not a
# list nobody reads to the end (too short a distance in a big city finds thousands).
MAX_LISTED = 200


@dataclass(frozen=True)
class HotSpotsFound:
    hot_spots: int
    reports: int  # in them, together
    since: datetime
    computed_at: datetime


def year_before(moment: datetime) -> datetime:
    """The same moment twelve months earlier (29 February: the 28th)."""
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, day=28)


def find_hot_spots(session: Session, now: datetime, distance_m: float, min_reports: int,
                   *, srid: int = 3067) -> HotSpotsFound:
    """Replace every hot spot by those of the reports created in the twelve months up to
    `now` (aware). `srid`: the metric CRS the distance is measured in. Commits."""
    if now.tzinfo is None:
        raise InvalidInput("The time must carry its time zone.", field="now")
    if not 0 < distance_m <= MAX_DISTANCE_M:
        raise InvalidInput(f"The distance is more than 0 and at most {MAX_DISTANCE_M:g} "
                           "metres.", field="distance_m")
    if min_reports < 2:
        raise InvalidInput("A hot spot needs at least 2 reports.", field="min_reports")
    since = year_before(now)
    spots, reports = replace_hot_spots(session, now=now, since=since, srid=srid,
                                       distance_m=distance_m, min_reports=min_reports,
                                       left_out=LEFT_OUT)
    record_hot_spots_run(session, now)
    session.commit()
    return HotSpotsFound(hot_spots=spots, reports=reports, since=since, computed_at=now)


@dataclass(frozen=True)
class HotSpotListing:
    hot_spots: list[HotSpotRow]  # at most MAX_LISTED, most reports first
    total: int  # all those the scope sees with the filter
    computed_at: datetime | None  # None: not computed yet


def list_hot_spots(session: Session, scope: StatisticsScope, category_id: int | None = None,
                   *, min_reports: int, srid: int = 3067) -> HotSpotListing:
    """The hot spots the scope sees, most reports first. A party's staff see no other
    unit's figures: only the hot spots holding at least `min_reports` of their party's
    reports, each counted, dated, drawn and listed from those reports alone (the rule and
    its reasons: repositories/hot_spots._READ_OF_PARTY). `srid` as in find_hot_spots."""
    if scope.party_id is None:
        read = read_hot_spots(session, category_id=category_id, limit=MAX_LISTED)
    else:
        read = read_party_hot_spots(session, party_id=scope.party_id, category_id=category_id,
                                    limit=MAX_LISTED, min_reports=min_reports, srid=srid)
    return HotSpotListing(hot_spots=read.rows, total=read.total,
                          computed_at=hot_spots_computed_at(session))


def hot_spot_config(config: dict[str, object]) -> tuple[float, int, int]:
    """(distance in metres, minimum reports, metric SRID) from the app's configuration."""
    return (float(config["HOT_SPOT_DISTANCE_M"]),  # type: ignore[arg-type]
            int(config["HOT_SPOT_MIN_REPORTS"]),  # type: ignore[call-overload]
            int(config["METRIC_SRID"]))  # type: ignore[call-overload]
