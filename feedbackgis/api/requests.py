"""Reading request bodies with errors that say what was wrong."""
from __future__ import annotations

import json
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from feedbackgis.schemas.fields import refuse_nul_characters


def json_object_body() -> dict[str, Any]:
    """The body as a JSON object: 415 for another content type, 400 for malformed JSON.

    A body over MAX_CONTENT_LENGTH is refused with 413 by werkzeug while it is read.
    """
    if not request.is_json:
        raise UnsupportedMediaType(
            f"Send the body as application/json (got {request.mimetype or 'no content type'})."
        )
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise BadRequest("The body is not valid UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise BadRequest(
            f"Malformed JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    refuse_nul_characters(data)
    return data
