"""Background jobs on RQ: queue names, job functions (taking ids, idempotent)."""
