"""The admin pages' words for the service's codes: roles, party kinds, publish policies,
question kinds, the history's actions, and what a page says after a change."""
from __future__ import annotations

from flask import request
from flask_babel import gettext

from feedbackgis.i18n import N_

ROLE_NAMES = {
    "admin": N_("Administrator"),
    "manager": N_("Manager"),
    "handler": N_("Handler (of a unit)"),
    "moderator": N_("Moderator"),
    "contractor": N_("Contractor"),
}
PARTY_KIND_NAMES = {"unit": N_("Municipal unit"), "contractor": N_("Contractor")}
POLICY_NAMES = {
    "immediate": N_("Public at once"),
    "moderated": N_("Public after moderation"),
    "never": N_("Never public"),
}
QUESTION_KIND_NAMES = {
    "text": N_("Text"),
    "number": N_("Number"),
    "yesno": N_("Yes or no"),
    "choice": N_("One of a list"),
}
ACTION_NAMES = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "delete": N_("Removed"),
    "add_question": N_("Question added"),
    "move_question": N_("Questions reordered"),
    "remove_question": N_("Question removed"),
    "password_link": N_("Password link sent"),
    "retry": N_("Retried"),
    "revoke": N_("Revoked"),
}
ENTITY_NAMES = {
    "category": N_("Category"),
    "party": N_("Party"),
    "user": N_("User"),
    "response_template": N_("Response template"),
    "zone": N_("Zone"),
    "job": N_("Job"),
    "api_key": N_("Open311 API key"),
}
# What a page says after a change (?done=...).
DONE = {
    "created": N_("Created. The change is in the history below."),
    "saved": N_("Saved. The change is in the history below."),
    "question-added": N_("The question was added."),
    "question-moved": N_("The question was moved."),
    "question-removed": N_("The question was removed."),
    "question-kept": N_("The question is no longer asked; reports that answered it keep "
                        "their answers."),
    "removed": N_("Removed."),
    "link-sent": N_("A link to choose a password is on its way to the user."),
    "retried": N_("The job is back on its queue."),
    "revoked": N_("The key is revoked: requests with it are refused from now on."),
}


def done_message() -> str | None:
    """The page's confirmation of the change just made, in the page's language."""
    done = request.args.get("done", "")
    return gettext(DONE[done]) if done in DONE else None


def name_of(names: dict[str, str], code: str | None) -> str:
    """A code's name in the page's language; an unknown code as it is."""
    return gettext(names[code]) if code in names else (code or "")


def shown(value: object) -> str:
    """A value of the history's JSON as a person reads it."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(shown(each) for each in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {shown(each)}" for key, each in value.items())
    return str(value)


NAMES = {"role": ROLE_NAMES, "kind": PARTY_KIND_NAMES, "policy": POLICY_NAMES,
         "question_kind": QUESTION_KIND_NAMES, "action": ACTION_NAMES, "entity": ENTITY_NAMES}
