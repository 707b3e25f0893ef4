"""Reports: submission (with idempotency keys), routing to a party, statuses, reads."""
