"""`feedbackgis zones ...` and `feedbackgis area ...`: spatial data of the municipality."""
from __future__ import annotations

import click


@click.group("zones")
def zones_group() -> None:
    """Zones that route reports to parties: import, list."""


@click.group("area")
def area_group() -> None:
    """The municipality's service area: reports outside it are refused."""
