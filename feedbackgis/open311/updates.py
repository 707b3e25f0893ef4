"""mySociety's servicerequestupdates: GET (the public updates of requests) and POST (a
system sends an update back)."""
from __future__ import annotations
