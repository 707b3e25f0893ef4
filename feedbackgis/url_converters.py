"""URL converters the pages and the API share, registered by each blueprint that uses them."""
from __future__ import annotations

from typing import Any

from flask.blueprints import BlueprintSetupState
from werkzeug.routing import IntegerConverter

# Ids are PostgreSQL integers: anything else in a path (a letter, a sign, 10**30) is no such
# resource, a 404, rather than an "integer out of range" from the database.
DATABASE_ID_MAX = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        super().__init__(map, min=1, max=DATABASE_ID_MAX)


def register_id_converter(state: BlueprintSetupState) -> None:
    """For Blueprint.record_once, before the blueprint's rules that use <id:...> are added."""
    state.app.url_map.converters.setdefault("id", DatabaseIdConverter)
