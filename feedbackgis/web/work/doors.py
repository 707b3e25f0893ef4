"""The two doors to a work order: the contractor's account, or the work order's link.

A Door knows which one the request came through: it finds the holder (services/work_orders/
access.py) and builds the page's links so that they keep to the same door (a link's pages
link to the link's pages, never to pages behind a login).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, g, url_for

from feedbackgis.extensions import db
from feedbackgis.services.work_orders.access import (
    WorkOrderHolder,
    holder_of_link,
    holder_of_user,
)
from feedbackgis.web.staff.session import current_staff_user


@dataclass(frozen=True)
class Door:
    report_id: int
    token: str | None = None  # the link's; None for the signed-in contractor

    @property
    def by_link(self) -> bool:
        return self.token is not None

    def url(self, view: str = "page", **args: Any) -> str:
        """A URL of this work order's `view` (page, action, contact, photo) by this door."""
        prefix = "work.link_" if self.by_link else "work.order_"
        if self.by_link:
            args["token"] = self.token
        if view != "photo":
            args.setdefault("lang", g.language)
        return url_for(prefix + view, report_id=self.report_id, **args)

    def holder(self) -> WorkOrderHolder:
        """Who holds it: NotFound for a link that opens no work order, Forbidden for an
        account that is no contractor's (the login guard handled nobody signed in)."""
        if self.by_link:
            return holder_of_link(db.session, self.report_id, self.token,
                                  current_app.config["SECRET_KEY"])
        return holder_of_user(current_staff_user())
