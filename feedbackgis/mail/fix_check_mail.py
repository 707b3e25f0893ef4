"""The closed loop's emails: "Is it fixed?" to the reporter and the followers, and the
reopened work order to the party.

The question replaces the ordinary "dealt with" email of a change to fixed: it carries the
change's public note (the answer to the resident) and two one-click links, each opening a
page that asks to confirm (a mail scanner opening the links answers nothing).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from feedbackgis.i18n import N_
from feedbackgis.mail.compose import ReportFacts, UpdateFacts
from feedbackgis.mail.message import Attachment, OutgoingEmail, unsubscribe_headers
from feedbackgis.mail.render import render_email
from feedbackgis.mail.translation import mail_texts

# The news of a reopening for the reporter and the followers, in the recipient's language
# (an event's note is one stored text; this is said in each reader's own words).
REOPENED_NOTE = N_("A resident told us that the problem is not fixed, so the report was "
                   "reopened and its handler is working on it again.")


@dataclass(frozen=True)
class FixQuestion:
    yes_url: str
    no_url: str
    until: str  # when the question closes, local, written the language's way
    update: UpdateFacts  # the change to fixed, with its public note if it has one


@dataclass(frozen=True)
class ReopeningFacts:
    due: str | None  # the new due date, local; None when it has none
    text: str | None  # what the resident wrote: for the party handling the report
    reopen_count: int


def compose_fix_question(report: ReportFacts, question: FixQuestion, *, to: str,
                         follow_up_url: str | None = None,
                         unsubscribe_url: str | None = None) -> OutgoingEmail:
    """To the reporter (follow_up_url) or to a follower (unsubscribe_url)."""
    subject, text, html = render_email(
        "fix_check_question", report.language, report=report, question=question,
        update=question.update, follow_up_url=follow_up_url, unsubscribe_url=unsubscribe_url)
    email = OutgoingEmail(to=to, subject=subject, text=text, html=html,
                          language=report.language)
    if unsubscribe_url is None:
        return email
    return replace(email, headers=unsubscribe_headers(unsubscribe_url))


def reopened_update(status: str, language: str) -> UpdateFacts:
    """The reopening as an ordinary status update for the reporter and the followers."""
    return UpdateFacts(status=status, note=mail_texts(language).gettext(REOPENED_NOTE),
                       closes=False)


def compose_party_reopened(report: ReportFacts, reopening: ReopeningFacts, *, to: str,
                           work_order_url: str,
                           attachments: Sequence[Attachment] = ()) -> OutgoingEmail:
    """The work order again, to every address of the same party: "not fixed"."""
    subject, text, html = render_email(
        "party_reopened", report.language, report=report, reopening=reopening,
        work_order_url=work_order_url, photo_count=len(attachments))
    return OutgoingEmail(to=to, subject=subject, text=text, html=html,
                         language=report.language, attachments=tuple(attachments))
