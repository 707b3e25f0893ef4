"""Jobs that used up their retries: the service of the admin page and the CLI alike
(services/admin/failed_jobs.py), named here for the jobs layer (reconcile.py)."""
from __future__ import annotations

from feedbackgis.services.admin.failed_jobs import (
    FailedJob,
    last_error_line,
    list_failed_jobs,
    retry_failed_job,
)

__all__ = ["FailedJob", "last_error_line", "list_failed_jobs", "retry_failed_job"]
