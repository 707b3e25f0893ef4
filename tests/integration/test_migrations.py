"""The migrations build exactly the schema the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from feedbackgis.models import Base
from feedbackgis.models.migration import include_object


def test_models_and_migrations_agree(connection):
    context = MigrationContext.configure(
        connection, opts={"include_object": include_object, "compare_type": True}
    )
    assert compare_metadata(context, Base.metadata) == []


def test_zone_triggers_keep_area_and_parts_in_step(connection):
    from sqlalchemy import text

    zone_id = connection.execute(text("""
        WITH p AS (INSERT INTO party (kind, name) VALUES ('unit', 'Trigger test') RETURNING id)
        INSERT INTO zone (party_id, name, geom)
        SELECT id, 'z', ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(24.9, 60.2), 4326), 0.1, 500))
        FROM p RETURNING id""")).scalar_one()
    parts, area = connection.execute(text(
        "SELECT count(*), min(z.area_m2) FROM zone_part p JOIN zone z ON z.id = p.zone_id "
        "WHERE z.id = :id"), {"id": zone_id}).one()
    assert parts > 1 and 1.5e8 < area < 2.5e8  # ~2000 vertices split; ~194 km²
    connection.execute(text(
        "UPDATE zone SET geom = ST_Multi(ST_MakeEnvelope(24, 60, 24.01, 60.01, 4326)) WHERE id = :id"),
        {"id": zone_id})
    parts, area = connection.execute(text(
        "SELECT count(*), min(z.area_m2) FROM zone_part p JOIN zone z ON z.id = p.zone_id "
        "WHERE z.id = :id"), {"id": zone_id}).one()
    assert parts == 1 and area < 1e6
