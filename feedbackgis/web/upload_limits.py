"""Forms that carry photos or files take bodies larger than MAX_CONTENT_LENGTH (which stays
small for everything else). The larger limit must be in place before anything reads the
body, and the CSRF check reads the form before the view runs: so the limit is set by an
app-wide before_request, registered ahead of CSRFProtect's, from the view's own decoration.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, current_app, request

LIMIT_ATTRIBUTE = "upload_limit_bytes"


def upload_limit(limit: Callable[[Mapping[str, Any]], int]) -> Callable[[Any], Any]:
    """Decorate a view whose form may carry files: `limit(config)` is its body's limit.
    (Other decorators copy the attribute along with functools.wraps.)"""

    def mark(view: Any) -> Any:
        setattr(view, LIMIT_ATTRIBUTE, limit)
        return view

    return mark


def install_upload_limits(app: Flask) -> None:
    """Call before csrf.init_app: before_request functions run in registration order."""
    app.before_request(_raise_limit_for_the_view)


def _raise_limit_for_the_view() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, LIMIT_ATTRIBUTE, None)
    if limit is not None:
        request.max_content_length = limit(current_app.config)
