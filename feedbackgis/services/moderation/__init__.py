"""Moderation: what of a report the public sees, and when."""
