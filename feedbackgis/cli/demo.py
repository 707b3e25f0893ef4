"""`feedbackgis demo seed`: a demo municipality to try the service on."""
from __future__ import annotations

import click


@click.group("demo")
def demo_group() -> None:
    """Demo data."""
