"""Response templates on the admin pages: the list, a new one (for a category or every
category), a template's page (edit, remove, history), through
services/catalog/response_templates.py as `feedbackgis templates ...` does."""
from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, url_for

from feedbackgis.domain.permissions import Action
from feedbackgis.domain.response_texts import PLACEHOLDERS, TEXT_MAX_LENGTH
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.errors import ServiceError
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.models import ResponseTemplate
from feedbackgis.services.admin.audit import Entity, history
from feedbackgis.services.catalog import response_templates as service
from feedbackgis.services.catalog.listing import all_categories, get_category
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin, admin_required
from feedbackgis.web.admin.forms import checked, form_values, refusal, text
from feedbackgis.web.admin.texts import done_message

TEXT_RULE = N_("Write the text in Finnish, Swedish and English (at most %(max)s characters). "
               "Placeholders are %(placeholders)s; write {{ and }} for a brace itself.")
TEMPLATE_ERRORS = {
    "status": N_("Choose the status the template answers."),
    "category": N_("Choose a category, or every category."),
    "title": N_("Give a title (at most 200 characters)."),
    "text_fi": TEXT_RULE, "text_sv": TEXT_RULE, "text_en": TEXT_RULE,
    "auto_response": N_("Only one automatic answer per category and status: make the other "
                        "one not automatic first."),
}
PLACEHOLDER_LIST = ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def _refusal(exc: ServiceError) -> tuple[dict[str, str], int]:
    return refusal(exc, TEMPLATE_ERRORS, max=TEXT_MAX_LENGTH, placeholders=PLACEHOLDER_LIST)


def _form_page(page: str, status: int = 200, **context: Any) -> Any:
    return render_template(page, statuses=[s.value for s in ReportStatus],
                           categories=all_categories(db.session, g.language),
                           placeholders=PLACEHOLDER_LIST, text_max=TEXT_MAX_LENGTH,
                           **context), status


def _template_values(template: ResponseTemplate) -> dict[str, Any]:
    return {"title": template.title, "text_fi": template.text_fi,
            "text_sv": template.text_sv, "text_en": template.text_en,
            "auto_response": template.auto_response}


@admin_blueprint.get("/templates")
@admin_required(Action.MANAGE_CATALOG)
def templates() -> Any:
    return render_template("admin/templates.html", templates=service.list_templates(db.session),
                           done=done_message())


@admin_blueprint.route("/templates/new", methods=["GET", "POST"])
@admin_required(Action.MANAGE_CATALOG)
def new_template() -> Any:
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            created = service.create_template(db.session, service.TemplateFields(
                text("status"), text("category") or None, text("title"), text("text_fi"),
                text("text_sv"), text("text_en"), checked("auto_response")), actor=admin())
        except ServiceError as exc:
            errors, status = _refusal(exc)
        else:
            return redirect(url_for("admin.response_template", template_id=created.id,
                                    done="created", lang=g.language), 303)
    defaults = {"category": request.args.get("category", ""), "status": "received"}
    return _form_page("admin/template_new.html", status, errors=errors,
                      values=form_values(defaults))


@admin_blueprint.route("/templates/<id:template_id>", methods=["GET", "POST"])
@admin_required(Action.MANAGE_CATALOG)
def response_template(template_id: int) -> Any:
    found = service.find_template(db.session, template_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            service.update_template(db.session, template_id, service.TemplateChanges(
                title=text("title"), text_fi=text("text_fi"), text_sv=text("text_sv"),
                text_en=text("text_en"), auto_response=checked("auto_response")),
                actor=admin())
        except ServiceError as exc:
            errors, status = _refusal(exc)
            found = service.find_template(db.session, template_id)
        else:
            return redirect(url_for("admin.response_template", template_id=template_id,
                                    done="saved", lang=g.language), 303)
    category = get_category(db.session, found.category_id) if found.category_id else None
    return _form_page("admin/template.html", status, template=found, category=category,
                      errors=errors, values=form_values(_template_values(found)),
                      changes=history(db.session, Entity.RESPONSE_TEMPLATE, template_id),
                      done=done_message())


@admin_blueprint.post("/templates/<id:template_id>/remove")
@admin_required(Action.MANAGE_CATALOG)
def remove_template(template_id: int) -> Any:
    service.remove_template(db.session, template_id, actor=admin())
    return redirect(url_for("admin.templates", done="removed", lang=g.language), 303)
