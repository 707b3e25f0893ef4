"""Webhook jobs: a party's system told of its work orders. They take ids; a failed delivery
raises, so the job's retry policy sends it again (with the same delivery id)."""
from __future__ import annotations

from flask import current_app

from feedbackgis.jobs.context import job_session
from feedbackgis.services.contractor_api import webhooks


def notify_party_webhook_of_assignment(report_id: int, party_id: int, outbox_id: int) -> bool:
    with job_session() as session:
        return webhooks.send_assignment(
            session, webhooks.WebhookSettings.from_config(current_app.config),
            report_id=report_id, party_id=party_id, outbox_id=outbox_id)


def notify_party_webhook_of_update(report_id: int, event_id: int, outbox_id: int) -> bool:
    """A public status change or reply on the party's work order."""
    with job_session() as session:
        return webhooks.send_update(
            session, webhooks.WebhookSettings.from_config(current_app.config),
            report_id=report_id, event_id=event_id, outbox_id=outbox_id)
