""""Is it fixed?": the page each one-click link of the question email opens.

GET never answers (mail scanners and link previews open links): it shows the question with
the chosen answer's button, a form posting with a CSRF token. The POST records the answer
and redirects (303) to the page, which then thanks. A question no longer open says so
(already answered, or closed); a link that is not valid gets a 404 page.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext

from feedbackgis.domain.fix_check import FOLLOWER, REPORTER, Answer, QuestionState
from feedbackgis.errors import InvalidInput, NotFound, TooLarge, UnsupportedMedia
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.rate_limits import follow_up_limit
from feedbackgis.services.photos import PhotoLimits, storage_from_config
from feedbackgis.services.reports.fix_answers import (
    AnswerLink,
    PhotoUpload,
    Question,
    answer_fixed,
    answer_not_fixed,
    find_question,
)
from feedbackgis.services.reports.submission import follow_up_token
from feedbackgis.web import web_blueprint
from feedbackgis.web.follow_up import PRIVATE_PAGE_HEADERS, photo_form_limit
from feedbackgis.web.upload_limits import upload_limit

PATH = f"/fixed/<any({REPORTER}, {FOLLOWER}):kind>/<id:row_id>/<token>"
ERRORS = {"answer": N_("Choose one of the answers."),
          "text": N_("Write at most 1,000 characters."),
          "file": N_("Choose a photo: JPEG, PNG, WebP or HEIC, at most 10 MB.")}


def _link(kind: str, row_id: int, token: str) -> AnswerLink:
    return AnswerLink(kind=kind, row_id=row_id, token=token)


def _chosen(answer: str | None) -> str | None:
    """The answer whose form the page shows alone (the link's), or None for both."""
    return answer if answer in set(Answer) else None


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


@web_blueprint.get(PATH)
def fix_check(kind: str, row_id: int, token: str) -> Any:
    link = _link(kind, row_id, token)
    try:
        question = find_question(db.session, _secret(), link)
    except NotFound:
        return _invalid()
    return _page(question, link, chosen=_chosen(request.args.get("answer")),
                 thanks=request.args.get("done") == "1")


@web_blueprint.post(PATH)
@follow_up_limit
@upload_limit(photo_form_limit)
def fix_check_answer(kind: str, row_id: int, token: str) -> Any:
    limits = PhotoLimits.from_config(current_app.config)
    link = _link(kind, row_id, token)
    try:
        before = find_question(db.session, _secret(), link)
        if before.state is not QuestionState.OPEN:
            # A second answer, or one after the question closed: nothing changes.
            return _page(before, link, status=409)
        answered = _answer(link, request.form.get("answer"), limits)
    except NotFound:
        return _invalid()
    except (InvalidInput, TooLarge, UnsupportedMedia) as exc:
        db.session.rollback()
        field = exc.field if exc.field in ERRORS else "answer"
        return _page(find_question(db.session, _secret(), link), link,
                     chosen=_chosen(request.form.get("answer")), status=422,
                     errors={field: gettext(ERRORS[field])})
    if answered.state is not QuestionState.ANSWERED:
        return _page(answered, link, status=409)  # closed while the photo was stored
    response = redirect(url_for("web.fix_check", kind=kind, row_id=row_id, token=token,
                                lang=g.language, done=1), 303)
    response.headers.update(PRIVATE_PAGE_HEADERS)
    return response


def _answer(link: AnswerLink, answer: str | None, limits: PhotoLimits) -> Question:
    if answer == Answer.FIXED:
        return answer_fixed(db.session, _secret(), link)
    if answer == Answer.NOT_FIXED:
        return answer_not_fixed(db.session, _secret(), link, text=request.form.get("text"),
                                photo=_photo(limits),
                                time_zone=current_app.config["TIMEZONE"])
    raise InvalidInput("Choose yes or no.", field="answer")


def _photo(limits: PhotoLimits) -> PhotoUpload | None:
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return None
    return PhotoUpload(data=upload.stream.read(limits.max_bytes + 1),
                       storage=storage_from_config(current_app.config), limits=limits)


def _page(question: Question, link: AnswerLink, *, chosen: str | None = None,
          thanks: bool = False, errors: dict[str, str] | None = None,
          status: int = 200) -> Any:
    report = question.report
    page = render_template(
        "fix_check.html", state=question.state.value, answer=question.answer, chosen=chosen,
        thanks=thanks, errors=errors or {}, values=request.form, report=report,
        category=report.category.name(g.language),
        until=report.fix_check_until,
        action=url_for("web.fix_check_answer", kind=link.kind, row_id=link.row_id,
                       token=link.token, lang=g.language),
        choose_url=lambda answer: url_for("web.fix_check", kind=link.kind,
                                          row_id=link.row_id, token=link.token,
                                          answer=answer, lang=g.language),
        report_url=_report_url(question),
    )
    return page, status, PRIVATE_PAGE_HEADERS


def _report_url(question: Question) -> str | None:
    """Where to follow the report: the reporter's own page, or the public one."""
    report = question.report
    if question.respondent.kind == REPORTER:
        return url_for("web.follow_up", token=follow_up_token(report, _secret()),
                       lang=g.language)
    if report.is_public:
        return url_for("web.public_report", report_id=report.id, lang=g.language)
    return None


def _invalid() -> Any:
    return render_template("fix_check.html", state="invalid"), 404, PRIVATE_PAGE_HEADERS

