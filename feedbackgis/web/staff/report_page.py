"""A report's staff page (/staff/reports/<id>): everything the user's role may see of it.

The actions' forms post to web/staff/report_actions.py, which answers with a redirect back
here, or with this page again showing what was wrong.
"""
from __future__ import annotations

from typing import Any

from flask import g, render_template, request, url_for
from flask_babel import gettext

from feedbackgis.domain.permissions import Action
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.photo_responses import jpeg_response
from feedbackgis.schemas.answers import answers_view
from feedbackgis.services.photos.serving import photo_key_of_report
from feedbackgis.services.staff.report_page import (
    StaffReportPage,
    report_for_staff,
    show_contact,
    staff_report_page,
    template_text,
)
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.highlight import highlighted
from feedbackgis.web.staff.session import current_staff_user, login_required

# What the page says after an action went through (?done=...).
DONE = {
    "reply": N_("Your reply was sent to the resident."),
    "note": N_("The internal note was saved."),
    "status": N_("The status was changed."),
    "person": N_("The person was changed."),
    "party": N_("The report was given to the new party, and they were told."),
    "category": N_("The category was changed and the report routed again."),
    "location": N_("The point was changed and the report routed again."),
    "merge": N_("The report was merged; its reporter and followers were told."),
    "photo": N_("The photo's visibility was changed."),
    "publish": N_("The report is public."),
    "unpublish": N_("The report was taken off the public map."),
}
PHOTO_MAX_AGE = 300
# What each kind of event is called in the history.
EVENT_LABELS = {
    "submitted": N_("Report received"),
    "assigned": N_("Assigned to a party"),
    "triaged": N_("Sent to triage"),
    "status_changed": N_("Status changed"),
    "comment": N_("The reporter added information"),
    "reply": N_("Reply to the resident"),
    "note": N_("Internal note"),
    "person_assigned": N_("Person changed"),
    "recategorised": N_("Category changed"),
    "located": N_("Point changed"),
    "merged": N_("Merged"),
    "escalated": N_("Escalated as late"),
    "moderated": N_("Public text edited"),
    "published": N_("Published"),
    "unpublished": N_("Taken off the public map"),
    "photo_hidden": N_("Photo hidden"),
    "photo_shown": N_("Photo shown again"),
    "fix_confirmed": N_("Confirmed fixed by a resident"),
    "reopened": N_("Reopened: not fixed, says a resident"),
    "accepted": N_("Work order accepted"),
    "handed_back": N_("Work order handed back"),
}


def event_label(kind: str) -> str:
    return gettext(EVENT_LABELS.get(str(kind), EVENT_LABELS["status_changed"]))


def render_report_page(report_id: int, *, errors: dict[str, str] | None = None,
                       status: int = 200, contact: Any = None) -> Any:
    user = current_staff_user()
    page = staff_report_page(db.session, user, report_id)
    done = request.args.get("done", "")
    return render_template(
        "staff/report.html", page=page, report=page.report, Action=Action,
        answers=answers_view(page.report, g.language, with_free_text=True),
        public_text_marked=highlighted(page.report.public_text,
                                       page.findings.text if page.findings else []),
        address_marked=highlighted(page.report.address or "",
                                   page.findings.address if page.findings else []),
        errors=errors or {}, values=request.form or _chosen_template(page), contact=contact,
        done=gettext(DONE[done]) if done in DONE else None,
        event_label=event_label, parties={party.id: party for party in page.parties},
    ), status


def _chosen_template(page: StaffReportPage) -> dict[str, str]:
    """?template=ID: the reply box starts with that ready answer, to edit before sending."""
    chosen = request.args.get("template", "")
    text = template_text(page, int(chosen)) if chosen.isdigit() and len(chosen) < 10 else None
    return {"reply": text} if text is not None else {}


@staff_blueprint.get("/reports/<id:report_id>")
@login_required
def report_page(report_id: int) -> Any:
    return render_report_page(report_id)


@staff_blueprint.post("/reports/<id:report_id>/contact")
@login_required
def report_contact(report_id: int) -> Any:
    """The page with the reporter's contact shown: each showing is logged. A form's post
    (CSRF), not a link: a prefetch or a forwarded link must not log a view in one's name."""
    contact = show_contact(db.session, current_staff_user(), report_id)
    return render_report_page(report_id, contact=contact or False)


@staff_blueprint.get("/reports/<id:report_id>/photos/<id:photo_id>.jpg")
@login_required
def report_photo(report_id: int, photo_id: int) -> Any:
    report_for_staff(db.session, current_staff_user(), report_id)
    key = photo_key_of_report(db.session, report_id, photo_id,
                              thumbnail=request.args.get("thumbnail") == "1")
    return jpeg_response(key, public=False, max_age=PHOTO_MAX_AGE)


def report_url(report_id: int, done: str | None = None) -> str:
    return url_for("staff.report_page", report_id=report_id, done=done, lang=g.language)
