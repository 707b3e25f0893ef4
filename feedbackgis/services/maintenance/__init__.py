"""Housekeeping: pruning what is no longer needed (retention). The hourly overdue check is
services/reports/escalation.py."""
