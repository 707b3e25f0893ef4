"""Who may open the admin pages: a signed-in user whose role holds the page's action.

Whoever is not signed in goes to the login page (and back here afterwards); a signed-in user
of another role gets 403, for every page and every form post alike.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from feedbackgis.domain.permissions import Action
from feedbackgis.errors import Forbidden
from feedbackgis.models import StaffUser
from feedbackgis.services.staff.access import user_may
from feedbackgis.web.staff.session import current_staff_user, login_required


def admin_required(action: Action) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not user_may(current_staff_user(), action):
                raise Forbidden("Your role may not manage the service.")
            return view(*args, **kwargs)

        return login_required(guarded)

    return decorate


def admin() -> StaffUser:
    """The admin signed in to this request (the actor of its changes)."""
    user = current_staff_user()
    assert user is not None  # admin_required let the request in
    return user
