"""What a job function runs in: the app's configuration and a database session."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from feedbackgis.extensions import db
from feedbackgis.mail.links import Links
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.services.photos import PhotoStorage, storage_from_config

_process_app: dict[int, Flask] = {}


def _app_for_this_process() -> Flask:
    # One app per process: a forked work horse must not reuse its parent's connections.
    pid = os.getpid()
    if pid not in _process_app:
        from feedbackgis import create_app

        _process_app[pid] = create_app()
    return _process_app[pid]


@contextmanager
def job_session() -> Iterator[Session]:
    """A session for one job, inside the worker's app context (or one made for it)."""
    if has_app_context():
        yield from _session()
        return
    with _app_for_this_process().app_context():
        yield from _session()


def _session() -> Iterator[Session]:
    session = db.session()
    try:
        yield session
    finally:
        db.session.remove()


def smtp_settings() -> SmtpSettings:
    return SmtpSettings.from_config(current_app.config)


def links() -> Links:
    return Links.from_config(current_app.config)


def photo_storage() -> PhotoStorage:
    return storage_from_config(current_app.config)
