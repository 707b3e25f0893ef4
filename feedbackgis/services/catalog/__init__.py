"""Parties and categories: add, change, deactivate, list."""
