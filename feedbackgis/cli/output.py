"""Shared helpers of CLI commands."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from feedbackgis.errors import ServiceError
from feedbackgis.extensions import db


def fail_on_service_error(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a service's error into a clean CLI error (exit 1, no traceback, nothing stored)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc

    return wrapper
