"""Housekeeping: pruning what is no longer needed (retention), overdue checks."""
