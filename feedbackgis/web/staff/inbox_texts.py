"""The inbox's words: filter errors, column headings, lateness, what a bulk action did."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext, ngettext

from feedbackgis.domain.inbox import InboxSort
from feedbackgis.i18n import N_
from feedbackgis.services.staff.assignment import BulkResult, Refusal
from feedbackgis.web.texts import status_name

# What the page says next to a filter (or the bulk form's field) that cannot be used.
FILTER_ERRORS = {
    "status": N_("Choose statuses from the list."),
    "category": N_("Choose a category from the list."),
    "zone": N_("Choose a zone from the list."),
    "party": N_("Choose a party from the list."),
    "person": N_("Choose a person from the list."),
    "min_age": N_("Give the age in whole days, from 0 to 36500, and no more than the "
                  "“at most” age."),
    "max_age": N_("Give the age in whole days, from 0 to 36500."),
    "overdue": N_("Tick the box or leave it empty."),
    "sort": N_("Sort by one of the columns."),
    "order": N_("Sort by one of the columns."),
    "page": N_("Give the page as a number from 1 to 10000."),
    "_form": N_("The filters could not be used as they are. Check them."),
}
# The same for the bulk form.
BULK_ERRORS = {
    "report": N_("Choose at least one report, at most 200."),
    "action": N_("Choose what to do with the chosen reports."),
    "person": N_("Choose whom to give the reports to."),
    "status": N_("Choose the new status from the list."),
    "_form": N_("The action could not be done as it is. Check the form."),
}

SORT_LABELS = {
    InboxSort.RECEIVED: N_("Received"),
    InboxSort.CATEGORY: N_("Category"),
    InboxSort.STATUS: N_("Status"),
    InboxSort.DUE: N_("Due"),
    InboxSort.UPDATED: N_("Updated"),
}

# Why reports of a bulk action did not change; %(reports)s lists them (#12, #15).
REFUSALS = {
    Refusal.NOT_FOUND: N_("Not found among the reports you may see: %(reports)s."),
    Refusal.FORBIDDEN: N_("Your role may not do this to these reports: %(reports)s."),
    Refusal.NOT_OF_PARTY: N_("The person is not one of the staff of these reports' party: "
                             "%(reports)s."),
    Refusal.NOT_OPEN: N_("Dealt with already, so nobody works on them: %(reports)s."),
    Refusal.UNCHANGED: N_("Nothing to change, they were so already: %(reports)s."),
    Refusal.TRANSITION: N_("Their status cannot be changed to this one: %(reports)s."),
    Refusal.STATUS_OWN_ACTION: N_("This status is not set from the inbox: %(reports)s."),
}


def late_text(days: int) -> str:
    """How late an overdue report is, in words (never by colour alone)."""
    if days < 1:
        return gettext("Late by less than a day")
    return ngettext("Late by %(num)s day", "Late by %(num)s days", days)


def bulk_messages(held: dict[str, Any]) -> dict[str, Any]:
    """What the last bulk action did, as kept across its redirect: a summary, then the
    reports that did not change, grouped by why."""
    changed = int(held.get("changed", 0))
    if held.get("action") == "assign" and held.get("name"):
        summary = ngettext("%(num)s report was given to %(name)s.",
                           "%(num)s reports were given to %(name)s.", changed,
                           name=held["name"])
    elif held.get("action") == "assign":
        summary = ngettext("%(num)s report no longer has a person.",
                           "%(num)s reports no longer have a person.", changed)
    else:
        summary = ngettext("%(num)s report was moved to the status %(status)s.",
                           "%(num)s reports were moved to the status %(status)s.", changed,
                           status=status_name(held.get("status") or "received"))
    refused = held.get("refused") if isinstance(held.get("refused"), dict) else {}
    reasons = []
    for reason, report_ids in refused.items():
        message = REFUSALS.get(reason, REFUSALS[Refusal.FORBIDDEN])
        reasons.append(gettext(message, reports=", ".join(f"#{i}" for i in report_ids)))
    count = sum(len(report_ids) for report_ids in refused.values())
    not_changed = ngettext("%(num)s report did not change:",
                           "%(num)s reports did not change:", count) if count else None
    return {"summary": summary, "not_changed": not_changed, "reasons": reasons}


def held_result(action: str, result: BulkResult, *, name: str | None = None,
                status: str | None = None) -> dict[str, Any]:
    """A bulk action's outcome as the session keeps it across the redirect: small (ids
    grouped by reason, no texts), so the cookie stays far under its 4 KB."""
    refused: dict[str, list[int]] = {}
    for report_id, reason in sorted(result.refused.items()):
        refused.setdefault(reason.value, []).append(report_id)
    return {"action": action, "changed": len(result.changed), "name": name, "status": status,
            "refused": refused}
