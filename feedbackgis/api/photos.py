"""Photo uploads (multipart) and the re-encoded photos of public reports.

The upload route alone takes a body larger than MAX_CONTENT_LENGTH (which stays small for
the JSON API): it raises the request's own limit to PHOTO_MAX_BYTES before the body is read.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import UnsupportedMediaType

from feedbackgis.api import api_blueprint
from feedbackgis.errors import InvalidInput
from feedbackgis.extensions import db
from feedbackgis.photo_responses import jpeg_response
from feedbackgis.rate_limits import upload_limit
from feedbackgis.schemas.photos import UploadedPhotoOut
from feedbackgis.services.photos import PhotoLimits, storage_from_config
from feedbackgis.services.photos.serving import public_photo_key
from feedbackgis.services.photos.uploads import upload_photo
from feedbackgis.url_converters import register_id_converter

FILE_FIELD = "file"
# Room for the multipart framing around the file (boundaries, part headers).
MULTIPART_OVERHEAD = 64 * 1024
# Short: a photo that staff hide leaves shared caches within this time.
PUBLIC_MAX_AGE = 300

uploaded_out = UploadedPhotoOut()
# Photo files live outside /api/v1: pages and other sites show them by URL.
photo_files_blueprint = Blueprint("photo_files", __name__)
photo_files_blueprint.record_once(register_id_converter)


@api_blueprint.post("/photos")
@upload_limit
def upload_photo_file():  # noqa: ANN201
    limits = PhotoLimits.from_config(current_app.config)
    request.max_content_length = limits.max_bytes + MULTIPART_OVERHEAD
    data = _uploaded_bytes(limits.max_bytes)
    uploaded = upload_photo(db.session, storage_from_config(current_app.config), data, limits)
    body = uploaded_out.dump({
        "upload_token": uploaded.upload_token, "width": uploaded.width,
        "height": uploaded.height, "gps": uploaded.gps.as_dict() if uploaded.gps else None,
    })
    # The token and the position are the uploader's alone: no cache may keep them.
    return body, 201, {"Cache-Control": "no-store"}


def _uploaded_bytes(max_bytes: int) -> bytes:
    """The file part's bytes (at most one more than `max_bytes`, so "too large" shows)."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            f"Send the photo as multipart/form-data, the file in the field '{FILE_FIELD}' "
            f"(got {request.mimetype or 'no content type'}).")
    upload = request.files.get(FILE_FIELD)
    if upload is None:
        raise InvalidInput("Attach the photo as a file (a part with a filename).",
                           field=FILE_FIELD)
    return upload.stream.read(max_bytes + 1)


@photo_files_blueprint.get("/photos/<id:photo_id>.jpg")
def photo_image(photo_id: int) -> Response:
    return _jpeg(public_photo_key(db.session, photo_id))


@photo_files_blueprint.get("/photos/<id:photo_id>/thumbnail.jpg")
def photo_thumbnail(photo_id: int) -> Response:
    return _jpeg(public_photo_key(db.session, photo_id, thumbnail=True))


def _jpeg(key: str) -> Response:
    return jpeg_response(key, public=True, max_age=PUBLIC_MAX_AGE)
