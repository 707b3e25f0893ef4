"""GeoReport v2 writes of client systems: POST requests (a report) and tokens/{token}."""
from __future__ import annotations
