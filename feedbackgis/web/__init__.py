"""HTML pages: the resident map and forms; staff and contractor views come later."""
from flask import Blueprint

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.url_converters import register_id_converter
from feedbackgis.web.security import add_security_headers
from feedbackgis.web.texts import install_plain_text_gettext, local_datetime, status_name

web_blueprint = Blueprint("web", __name__)
web_blueprint.record_once(register_id_converter)  # before the views below add their rules

# Every HTML response of the app gets the headers, error pages included (they are rendered
# outside this blueprint's views, so a blueprint-only after_request would miss them).
web_blueprint.after_app_request(add_security_headers)

# Texts for every page of the app, error pages included. Registering the blueprint comes
# after babel.init_app in create_app, so these replace Flask-Babel's template callables.
web_blueprint.record_once(lambda state: install_plain_text_gettext(state.app))
web_blueprint.add_app_template_global(status_name, "status_name")
# Every status's code, in the state machine's order (the map's scripts name them all).
web_blueprint.add_app_template_global([status.value for status in ReportStatus], "status_codes")
web_blueprint.add_app_template_filter(local_datetime, "local_datetime")

# View modules register their routes on the blueprint.
from feedbackgis.web import (  # noqa: E402, F401
    accessibility,
    fix_check,
    follow_up,
    offline,
    open_data,
    public_report,
    report_form,
    subscriptions,
    views,
)

__all__ = ["web_blueprint"]
