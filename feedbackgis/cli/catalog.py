"""`feedbackgis parties ...` and `feedbackgis categories ...`."""
from __future__ import annotations

import click


@click.group("parties")
def parties_group() -> None:
    """Responsible units and contractors."""


@click.group("categories")
def categories_group() -> None:
    """Report categories."""
