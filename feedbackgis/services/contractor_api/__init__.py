"""Contractor systems: the token-authenticated work-order API and the parties' webhooks.

tokens.py: a party's API tokens (created, listed, revoked; a bearer authenticated).
work_orders.py: what a token's party reads (its work orders, their photos).
updates.py: what it changes (a status, a note, an after-photo).
webhooks.py: a party's webhook (set from the CLI or the admin pages) and its signed
deliveries, sent by the jobs.
"""
