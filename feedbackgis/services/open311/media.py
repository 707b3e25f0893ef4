"""A client system's media_url, fetched into the report's photo by a job.

The fetched bytes go through the photo pipeline of any upload (upload_photo: checked by
their content, re-encoded, EXIF and GPS stripped, a thumbnail queued), then the photo is
attached to the report, where staff may hide it as any other. Only http and https, a
redirect followed only to http or https (a few times at most), the host's answer within
OPEN311_MEDIA_TIMEOUT (the whole answer), at most PHOTO_MAX_BYTES read; a host on a
private, loopback or link-local address is refused unless OPEN311_MEDIA_PRIVATE_HOSTS, the
address checked being the one connected to (media_fetch: no DNS rebinding).

A temporary failure (no connection, a timeout, a 5xx, 429) raises MediaUnavailable, and the
job's retry policy tries again; nothing is stored before the photo is whole. A permanent
one (a 4xx, not a photo, too large, a refused host) is logged and dropped: retrying would
get the same. The logs name the report and the reason, never the URL (it may hold a
client's token).
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.errors import ServiceError
from feedbackgis.media import PhotoLimits, PhotoStorage
from feedbackgis.models import Open311Submission, Photo, PhotoKind, Report
from feedbackgis.services.open311.media_fetch import (
    Deadline,
    MediaRefused,
    MediaUnavailable,
    get,
    read_body,
)
from feedbackgis.services.photos.attaching import attach_photos
from feedbackgis.services.photos.uploads import UploadedPhoto, upload_photo

log = logging.getLogger(__name__)

__all__ = ["MediaRefused", "MediaSettings", "MediaUnavailable", "download",
           "fetch_submitted_media"]

MAX_REDIRECTS = 3
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Answers worth asking again later; any other non-2xx is the same next time.
TEMPORARY_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True)
class MediaSettings:
    timeout: float  # seconds: to connect, between bytes, and for the whole answer
    private_hosts: bool
    limits: PhotoLimits

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MediaSettings:
        return cls(timeout=float(config.get("OPEN311_MEDIA_TIMEOUT", 10.0)),
                   private_hosts=bool(config.get("OPEN311_MEDIA_PRIVATE_HOSTS", False)),
                   limits=PhotoLimits.from_config(config))


def fetch_submitted_media(session: Session, storage: PhotoStorage, settings: MediaSettings,
                          report_id: int) -> bool:
    """Fetch the media_url of the report's Open311 request into its photo; False when there
    is nothing to do (no URL, the photo is there already, the report is gone) or the URL is
    refused for good. Raises MediaUnavailable for a retry."""
    url = session.scalar(select(Open311Submission.media_url)
                         .where(Open311Submission.report_id == report_id))
    done = url is None or _has_photo(session, report_id)
    session.rollback()  # no transaction stays open while the client's host answers
    if done:
        return False
    try:
        uploaded = upload_photo(session, storage, download(url, settings), settings.limits)
    except (MediaRefused, ServiceError) as refused:
        text = refused.message if isinstance(refused, ServiceError) else str(refused)
        log.warning("media_url of report %s dropped: %s", report_id, text)
        return False
    return _attach(session, storage, report_id, uploaded)


def _has_photo(session: Session, report_id: int) -> bool:
    return session.scalar(select(Photo.id).where(
        Photo.report_id == report_id, Photo.kind == PhotoKind.REPORTER).limit(1)) is not None


def _attach(session: Session, storage: PhotoStorage, report_id: int,
            uploaded: UploadedPhoto) -> bool:
    # Locked: of two runs at once (a retry beside a lost job), the second finds it done.
    session.get(Open311Submission, report_id, with_for_update=True)
    report = session.get(Report, report_id)
    if report is None or _has_photo(session, report_id):
        photo = session.get(Photo, uploaded.photo_id)
        key = photo.image_key
        session.delete(photo)
        session.commit()
        storage.delete(key)
        return False
    attach_photos(session, report, [uploaded.upload_token])
    session.commit()
    return True


def download(url: str, settings: MediaSettings) -> bytes:
    """The body of `url`, following at most MAX_REDIRECTS redirects to http(s) URLs, all
    within settings.timeout (media_fetch holds the host and time rules at the socket)."""
    with Deadline(settings.timeout) as deadline:
        for _ in range(MAX_REDIRECTS + 1):
            response = get(url, timeout=settings.timeout, private_hosts=settings.private_hosts,
                           deadline=deadline)
            try:
                location = response.headers.get("Location")
                if response.status in REDIRECTS and location:
                    url = urljoin(url, location)
                    continue
                _check_status(response.status)
                return read_body(response, settings.limits.max_bytes, deadline)
            finally:
                response.close()
    raise MediaRefused(f"more than {MAX_REDIRECTS} redirects")


def _check_status(status: int) -> None:
    if status in TEMPORARY_STATUSES or status >= 500:
        raise MediaUnavailable(f"HTTP {status}")
    if status != 200:
        raise MediaRefused(f"HTTP {status}")
