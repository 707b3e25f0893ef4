"""A stored photo as an HTTP response, for the public photo routes and the reporter's page.

Only re-encoded JPEGs are ever stored, so the type is fixed; nosniff and a sandboxing
Content-Security-Policy keep a browser from treating the bytes as anything else.
"""
from __future__ import annotations

import hashlib

from flask import Response, current_app, request
from werkzeug.wsgi import wrap_file

from feedbackgis.errors import NotFound
from feedbackgis.services.photos import storage_from_config


def jpeg_response(key: str, *, public: bool, max_age: int) -> Response:
    """The photo under `key`; `public` False keeps it out of shared caches."""
    try:
        stored = storage_from_config(current_app.config).open(key)
    except FileNotFoundError:
        raise NotFound("No such photo.") from None
    response = current_app.response_class(
        wrap_file(request.environ, stored.stream), mimetype="image/jpeg",
        direct_passthrough=True)
    response.content_length = stored.size
    # Keys are never reused, so the key names the content; hashed, since it is internal.
    response.set_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    if public:
        response.cache_control.public = True
    else:
        response.cache_control.private = True
        response.headers["Referrer-Policy"] = "no-referrer"
    response.cache_control.max_age = max_age
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response.make_conditional(request, accept_ranges=False,
                                     complete_length=stored.size)
