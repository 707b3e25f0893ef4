"""Photos out: an upload's answer (the token that attaches it, its size, the GPS it carried)
and the photos of a public report."""
from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import Schema, fields

from feedbackgis.models import Report


class GpsOut(Schema):
    lon = fields.Float(required=True)
    lat = fields.Float(required=True)


class UploadedPhotoOut(Schema):
    upload_token = fields.String(metadata={
        "description": "Name it in the report's `photos` to attach this photo (once, within "
                       "24 hours); shown only this once"})
    width = fields.Integer(metadata={"description": "Of the re-encoded photo, in pixels"})
    height = fields.Integer()
    gps = fields.Nested(GpsOut, allow_none=True, metadata={
        "description": "Where the camera said it was (lon, lat in degrees), offered as the "
                       "report's pin; not stored, and removed from the photo"})


class PublicPhotoOut(Schema):
    url = fields.Url(metadata={"description": "The re-encoded photo (JPEG, no metadata)"})
    thumbnail_url = fields.Url(metadata={"description": "Its thumbnail (400 px)"})
    width = fields.Integer()
    height = fields.Integer()


def public_photos_view(report: Report) -> list[dict[str, Any]]:
    """The photos anyone may see: of a public report, not hidden (what /photos/ serves)."""
    if not report.is_public:
        return []
    return [{"url": url_for("photo_files.photo_image", photo_id=photo.id, _external=True),
             "thumbnail_url": url_for("photo_files.photo_thumbnail", photo_id=photo.id,
                                      _external=True),
             "width": photo.width, "height": photo.height}
            for photo in report.photos if not photo.hidden]
