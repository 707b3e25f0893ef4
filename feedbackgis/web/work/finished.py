"""The page after the last action a link allows (done, handed back): it says what happened
and nothing of the report, since the link no longer opens it."""
from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import gettext

from feedbackgis.web.work import work_blueprint
from feedbackgis.web.work.texts import DONE

FINISHING = ("done", "hand-back")


@work_blueprint.get("/finished")
def finished() -> Any:
    done = request.args.get("done", "")
    return render_template("work/finished.html",
                           done=gettext(DONE[done]) if done in FINISHING else None)
