"""The work-order pages' own texts: what an action did, and what was wrong with a form."""
from __future__ import annotations

from feedbackgis.i18n import N_

# What the page says after an action went through (?done=...).
DONE = {
    "accept": N_("You accepted the work order. The city sees that you are taking it."),
    "start": N_("The work is in progress. The reporter was told."),
    "done": N_("The work order was marked done. The reporter was told, with your note and "
               "photo."),
    "hand-back": N_("The work order was handed back to the city."),
}
# Each form's field, with what to do about it.
FIELD_ERRORS = {
    "note": N_("Write what was done (at most 5,000 characters)."),
    "photo": N_("Add a photo of the work done: JPEG, PNG, WebP or HEIC, at most 10 MB."),
    "reason": N_("Write why you are handing the work order back (at most 5,000 "
                 "characters)."),
    "status": N_("The work order has changed meanwhile: this cannot be done in its status "
                 "now."),
}
LOCATION_ERROR = N_("Your location could not be read, so the work orders are in the order "
                    "of their due dates.")
