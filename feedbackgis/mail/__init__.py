"""Outgoing email: composing messages from templates and sending them over SMTP."""
