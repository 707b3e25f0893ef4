"""Shared fixtures. Unit tests need nothing; integration fixtures live in integration/."""
