"""Response templates: staff's ready answers per category and status, in fi/sv/en.

Managed by admins (`feedbackgis templates ...`); read by the staff page's reply box
(templates_for) and by the auto-response (template_for_auto_response, used by
services/reports/auto_response.py). A template of no category is for every category; for the
auto-response a category's own template wins over the every-category one. Every change is
in the audit trail (services/admin/audit.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackgis.domain.response_texts import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    BadPlaceholder,
    check_placeholders,
)
from feedbackgis.domain.statuses import ReportStatus, staff_choices
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.models import Category, Report, ResponseTemplate
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change, snapshot
from feedbackgis.services.catalog.parties_and_categories import find_category

TEXT_COLUMNS = ("text_fi", "text_sv", "text_en")
EVERY_CATEGORY = "every category"


@dataclass(frozen=True)
class TemplateFields:
    status: str
    category: str | None  # a category's code; None: every category
    title: str
    text_fi: str
    text_sv: str
    text_en: str
    auto_response: bool = False


@dataclass(frozen=True)
class TemplateChanges:
    """What update_template changes; None keeps a value as it is."""

    title: str | None = None
    text_fi: str | None = None
    text_sv: str | None = None
    text_en: str | None = None
    auto_response: bool | None = None


@dataclass(frozen=True)
class ListedTemplate:
    template: ResponseTemplate
    category_code: str | None  # None: every category


def _status(value: str) -> ReportStatus:
    try:
        return ReportStatus(value)
    except ValueError:
        names = ", ".join(status.value for status in ReportStatus)
        raise InvalidInput(f"No status '{value}'; the statuses are {names}.",
                           field="status") from None


def _checked_text(column: str, value: str, limit: int) -> str:
    text = value.strip()
    if not text:
        what = "a title" if column == "title" else "its text in Finnish, Swedish and English"
        raise InvalidInput(f"A response template needs {what}.", field=column)
    if len(text) > limit:
        raise InvalidInput(f"{column} must be at most {limit} characters.", field=column)
    if "\x00" in text:
        raise InvalidInput(f"{column} must not contain the NUL character (U+0000).",
                           field=column)
    if column != "title":
        try:
            check_placeholders(text)
        except BadPlaceholder as exc:
            raise InvalidInput(f"{column}: {exc}", field=column) from None
    return text


def _set_texts(template: ResponseTemplate, texts: dict[str, str | None]) -> None:
    """Check every text given, then set them: a refusal changes nothing."""
    checked = {column: _checked_text(column, value, TITLE_MAX_LENGTH if column == "title"
                                     else TEXT_MAX_LENGTH)
               for column, value in texts.items() if value is not None}
    for column, text in checked.items():
        setattr(template, column, text)


def _describe_scope(session: Session, category_id: int | None) -> str:
    if category_id is None:
        return EVERY_CATEGORY
    return f"category '{session.get(Category, category_id).code}'"


def _check_single_auto_response(session: Session, status: ReportStatus,
                                category_id: int | None, template_id: int | None) -> None:
    """One automatic answer per category (or every category) and status; the index in the
    database keeps it so under concurrent writes, this says which template is in the way."""
    query = select(ResponseTemplate).where(
        ResponseTemplate.auto_response, ResponseTemplate.status == status,
        (ResponseTemplate.category_id == category_id) if category_id
        else ResponseTemplate.category_id.is_(None))
    if template_id is not None:
        query = query.where(ResponseTemplate.id != template_id)
    existing = session.scalar(query)
    if existing is not None:
        raise Conflict(
            f"Template {existing.id} '{existing.title}' is already the automatic answer of "
            f"{_describe_scope(session, category_id)} in status '{status}'. Make it not "
            f"automatic first (templates edit {existing.id} --no-auto).",
            field="auto_response")


def template_snapshot(session: Session, template: ResponseTemplate) -> dict[str, Any]:
    category = session.get(Category, template.category_id) if template.category_id else None
    return snapshot(template, ("status", "title", *TEXT_COLUMNS, "auto_response"),
                    category=category.code if category else None)


def _save(session: Session, template: ResponseTemplate, actor: ChangeActor,
          before: dict[str, Any] | None) -> ResponseTemplate:
    session.add(template)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict("Another automatic answer for this category and status was saved "
                       "meanwhile. List the templates and try again.",
                       field="auto_response") from None
    record_change(session, actor, Entity.RESPONSE_TEMPLATE, template.id,
                  "create" if before is None else "update", before,
                  template_snapshot(session, template))
    session.commit()
    return template


def create_template(session: Session, fields: TemplateFields, *,
                    actor: ChangeActor = SYSTEM) -> ResponseTemplate:
    status = _status(fields.status)
    category = find_category(session, fields.category) if fields.category else None
    category_id = category.id if category else None
    if fields.auto_response:
        _check_single_auto_response(session, status, category_id, None)
    template = ResponseTemplate(status=status, category_id=category_id,
                                auto_response=fields.auto_response)
    _set_texts(template, {"title": fields.title, "text_fi": fields.text_fi,
                          "text_sv": fields.text_sv, "text_en": fields.text_en})
    return _save(session, template, actor, None)


def find_template(session: Session, template_id: int) -> ResponseTemplate:
    template = session.get(ResponseTemplate, template_id)
    if template is None:
        raise NotFound(f"No response template {template_id}. See `feedbackgis templates "
                       "list`.", field="template")
    return template


def update_template(session: Session, template_id: int, changes: TemplateChanges, *,
                    actor: ChangeActor = SYSTEM) -> ResponseTemplate:
    template = find_template(session, template_id)
    before = template_snapshot(session, template)
    if changes.auto_response and not template.auto_response:
        _check_single_auto_response(session, template.status, template.category_id,
                                    template.id)
    _set_texts(template, {"title": changes.title, "text_fi": changes.text_fi,
                          "text_sv": changes.text_sv, "text_en": changes.text_en})
    if changes.auto_response is not None:
        template.auto_response = changes.auto_response
    return _save(session, template, actor, before)


def remove_template(session: Session, template_id: int, *,
                    actor: ChangeActor = SYSTEM) -> None:
    template = find_template(session, template_id)
    record_change(session, actor, Entity.RESPONSE_TEMPLATE, template.id, "delete",
                  template_snapshot(session, template), None)
    session.delete(template)
    session.commit()


def list_templates(session: Session, category: str | None = None) -> list[ListedTemplate]:
    """Every template, or those a category uses (its own and the every-category ones); by
    status in the statuses' order, the category's own first, then by title."""
    query = select(ResponseTemplate, Category.code).outerjoin(
        Category, Category.id == ResponseTemplate.category_id)
    if category is not None:
        category_id = find_category(session, category).id
        query = query.where((ResponseTemplate.category_id == category_id)
                            | ResponseTemplate.category_id.is_(None))
    listed = [ListedTemplate(template, code) for template, code in session.execute(query)]
    return sorted(listed, key=lambda item: _order(item.template, item.category_code or ""))


_STATUS_ORDER = {status: position for position, status in enumerate(ReportStatus)}


def _order(template: ResponseTemplate, scope: str) -> tuple[int, bool, str, str, int]:
    return (_STATUS_ORDER[template.status], not scope, scope, template.title.casefold(),
            template.id)


def template_for_auto_response(session: Session, report: Report,
                               status: ReportStatus) -> ResponseTemplate | None:
    """The automatic answer of a report of this category entering `status`: the category's
    own, else the every-category one, else None."""
    return session.scalar(
        select(ResponseTemplate)
        .where(ResponseTemplate.auto_response, ResponseTemplate.status == status,
               (ResponseTemplate.category_id == report.category_id)
               | ResponseTemplate.category_id.is_(None))
        .order_by(ResponseTemplate.category_id.is_(None))  # false (its own) first
        .limit(1))


def templates_for(session: Session, report: Report) -> list[ResponseTemplate]:
    """The ready answers for the staff page's reply box: the non-automatic templates of the
    report's category or every category, for its current status (a reply that changes no
    status) or one the status form offers it next."""
    statuses = {report.status, *staff_choices(report.status)}
    query = select(ResponseTemplate).where(
        ~ResponseTemplate.auto_response, ResponseTemplate.status.in_(statuses),
        (ResponseTemplate.category_id == report.category_id)
        | ResponseTemplate.category_id.is_(None))
    return sorted(session.scalars(query),
                  key=lambda t: _order(t, "" if t.category_id is None else "own"))
