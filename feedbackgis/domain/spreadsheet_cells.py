"""Text cells that a spreadsheet shows as text and never runs as a formula.

A cell that begins with =, +, -, @ (a formula, or DDE) or with a tab or a carriage return
(which some spreadsheets skip before reading the formula) is written with an apostrophe in
front, as OWASP's advice on CSV injection says; spreadsheets hide the apostrophe.
"""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """The text, with an apostrophe in front when a spreadsheet would read a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
