"""Every outbox topic has its routes, and every routed job function takes what it is given."""
from __future__ import annotations

import importlib
import inspect

import pytest

from feedbackgis.jobs.routes import ROUTES, JobRoute
from feedbackgis.models import OutboxMessage, OutboxTopic

ROUTED = [(topic, route) for topic, routes in ROUTES.items() for route in routes]


def test_every_topic_is_routed_even_if_to_no_job():
    assert set(ROUTES) == set(OutboxTopic)


def _function(route: JobRoute):
    module, name = route.function.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize(("topic", "route"), ROUTED,
                         ids=[f"{t.value}->{r.function.rsplit('.', 1)[1]}" for t, r in ROUTED])
def test_routed_job_function_imports_and_accepts_exactly_the_arguments_it_is_given(topic, route):
    message = OutboxMessage(id=1, topic=topic.value,
                            payload={name: 1 for name in route.arguments})
    kwargs = route.kwargs(message)
    signature = inspect.signature(_function(route))
    signature.bind(**kwargs)  # raises TypeError on a missing or an unexpected argument
    required = {name for name, p in signature.parameters.items()
                if p.default is inspect.Parameter.empty}
    assert required <= set(kwargs)


def test_binding_catches_a_route_that_passes_an_argument_the_function_lacks():
    # The check above must be able to fail: a route naming one argument too many.
    route = JobRoute("notifications", "feedbackgis.jobs.notifications.notify_reporter_of_update",
                     ("report_id", "event_id", "party_id"))
    message = OutboxMessage(id=1, topic="x", payload={"report_id": 1, "event_id": 2,
                                                       "party_id": 3})
    with pytest.raises(TypeError):
        inspect.signature(_function(route)).bind(**route.kwargs(message))
