"""Size limits of what residents may send."""
DESCRIPTION_MAX_LENGTH = 5000
ADDRESS_MAX_LENGTH = 500
NAME_MAX_LENGTH = 200
PHONE_MAX_LENGTH = 50
# A free-text answer to a category's extra question: a line or two, not a second description.
TEXT_ANSWER_MAX_LENGTH = 500

# What staff write on a report: a reply to the resident, an internal note.
STAFF_TEXT_MAX_LENGTH = 5000

# Area subscriptions: what one resident may watch. 2,000 km² is a large municipality's
# core; a 20 km radius circle is about 1,257 km².
SUBSCRIPTION_AREA_MAX_KM2 = 2000
SUBSCRIPTION_AREA_MAX_VERTICES = 1000
SUBSCRIPTION_RADIUS_MIN_M = 50
SUBSCRIPTION_RADIUS_MAX_M = 20_000
EMAIL_MAX_LENGTH = 320

# Photos a resident sends with one report.
REPORT_PHOTOS_MAX = 3
