"""Notification emails about reports, each sent at most once (deliver_once)."""
