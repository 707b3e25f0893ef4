"""Queue names by concern, most urgent first (a worker drains them in this order)."""
NOTIFICATIONS = "notifications"
MEDIA = "media"
REPORTS = "reports"
MAINTENANCE = "maintenance"

ALL_QUEUES = (NOTIFICATIONS, MEDIA, REPORTS, MAINTENANCE)
