"""GeoReport v2 requests as the spec's documents, built by PostgreSQL.

A page of 500 requests is the API's heaviest read (a map client asks one per viewport):
building its JSON in the database (json_build_object, json_agg) answers it in one round trip
with no row objects, dicts or datetime conversions in Python, which took three quarters of
the request's time. The fields and their order are the spec's; datetimes are W3C with the
municipality's offset (computed in the statement, so that requests/{id} is one round trip:
setting the transaction's TimeZone first was a second one); what we never have is "".
XML and extensions=true read the same documents back (services/open311/requests.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    String,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    not_,
    select,
    text,
)

from feedbackgis.domain.statuses import OPEN_STATUSES
from feedbackgis.models import Category, EventKind, Party, Photo, Report, ReportEvent

LOCAL_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS'
# A public reply with a text: status_notes (the partial index ix_report_event_public_reply
# is on these rows).
PUBLIC_REPLY = (ReportEvent.kind == EventKind.REPLY, ReportEvent.is_public,
                ReportEvent.note.is_not(None))


@dataclass(frozen=True)
class DocumentSettings:
    """What a document depends on besides the report: the language of service_name, the
    photo URL around its id (prefix + id + suffix) and the time zone of the datetimes."""

    language: str
    photo_prefix: str
    photo_suffix: str
    time_zone: str

    def parameters(self) -> dict[str, str]:
        return {"language": self.language, "photo_prefix": self.photo_prefix,
                "photo_suffix": self.photo_suffix, "time_zone": self.time_zone}


def _w3c(column: ColumnElement) -> ColumnElement[str]:
    """`column` (timestamptz) as W3C text in the municipality's zone with its offset that
    day: 2026-03-29T10:15:00+03:00 (NULL stays NULL)."""
    zone = bindparam("time_zone", type_=String)
    local = func.timezone(zone, column)  # the wall-clock time there
    offset = local - func.timezone("UTC", column)  # an interval: +02:00 or +03:00 here
    zero = text("interval '0'")
    sign = case((offset < zero, "-"), else_="+")
    magnitude = case((offset < zero, -offset), else_=offset)
    return func.to_char(local, LOCAL_FORMAT) + sign + func.to_char(magnitude, "HH24:MI")


# Both are asked for every request of a page: each is one probe of a partial index
# (ix_report_event_public_reply, ix_photo_shown) written with the same conditions.
def _latest_reply() -> ColumnElement[str]:
    return (select(ReportEvent.note)
            .where(ReportEvent.report_id == Report.id, *PUBLIC_REPLY)
            .order_by(ReportEvent.id.desc()).limit(1).correlate(Report).scalar_subquery())


def _first_photo() -> ColumnElement[int]:
    # What /photos/<id>.jpg serves to anyone: a photo of a public report not hidden.
    return (select(Photo.id).where(Photo.report_id == Report.id, not_(Photo.hidden))
            .order_by(Photo.position, Photo.id).limit(1).correlate(Report).scalar_subquery())


def _service_name() -> ColumnElement[str]:
    language = bindparam("language", type_=String)
    named = case((language == "sv", Category.name_sv), (language == "en", Category.name_en),
                 else_=Category.name_fi)
    return func.coalesce(named, Category.name_fi)


def _media_url() -> ColumnElement[str]:
    photo = _first_photo()
    return func.coalesce(bindparam("photo_prefix", type_=String) + cast(photo, String)
                         + bindparam("photo_suffix", type_=String), "")


def _spec_status() -> ColumnElement[str]:
    return case((Report.status.in_(sorted(OPEN_STATUSES)), "open"), else_="closed")


def request_document() -> ColumnElement:
    """The spec's service request, in its order (requests/{id} and every page share it)."""
    empty = literal_column("''")
    return func.json_build_object(
        "service_request_id", cast(Report.id, String),
        "status", _spec_status(),
        "status_notes", func.coalesce(_latest_reply(), empty),
        "service_name", _service_name(),
        "service_code", Category.code,
        "description", func.coalesce(Report.public_description, Report.description),
        "agency_responsible", func.coalesce(Party.name, empty),
        "service_notice", empty,
        "requested_datetime", _w3c(Report.created_at),
        "updated_datetime", _w3c(Report.updated_at),
        "expected_datetime", _w3c(Report.due_at),
        "address", func.coalesce(Report.address, empty),
        "address_id", empty,
        "zipcode", empty,
        "lat", func.ST_Y(Report.location),
        "long", func.ST_X(Report.location),
        "media_url", _media_url(),
    )


def documents_select():  # noqa: ANN201 - a Select of (document, created_at, id)
    """Public reports as documents, with the columns a page is ordered by."""
    return (
        select(request_document().label("document"), Report.created_at, Report.id)
        .join(Category, Category.id == Report.category_id)
        .outerjoin(Party, Party.id == Report.assigned_party_id)
        # The bare column, as the partial GiST index's predicate is written (is_public).
        .where(Report.is_public)
    )
