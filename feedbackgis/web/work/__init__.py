"""The contractor's work orders (/work/), made for a phone: the list and map of its party's
open work orders (signed in), and one work order's page with its actions, signed in or
through the work order's own link (/work/link/<id>/<token>, no account needed).

Templates are under web/templates/work/; scripts under static/work/. Every page works
without JavaScript: the scripts add the map and the "nearest first" button.
"""
from flask import Blueprint

from feedbackgis.url_converters import register_id_converter
from feedbackgis.web.private_pages import make_private

work_blueprint = Blueprint("work", __name__, url_prefix="/work")
work_blueprint.record_once(register_id_converter)  # before the views below add their rules
make_private(work_blueprint)



# View modules register their routes on the blueprint.
from feedbackgis.web.work import finished, order_actions, order_page, orders  # noqa: E402, F401

__all__ = ["work_blueprint"]
