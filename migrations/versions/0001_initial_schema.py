"""Initial schema: parties, categories, zones (with subdivided parts), reports, events, outbox

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 13:29:13.210879
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The database keeps each zone's geodesic area and its subdivided copy (zone_part) in step
# with zone.geom, whatever writes the zone. Pieces have at most 255 vertices: point lookups
# then test small polygons whose boxes hug them, instead of one huge polygon. A zone below
# that size is kept whole, so points on its edges are judged on the original coordinates.
ZONE_TRIGGERS = """
CREATE FUNCTION zone_area_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.area_m2 := ST_Area(NEW.geom::geography);
    RETURN NEW;
END $$;

CREATE TRIGGER zone_area_sync BEFORE INSERT OR UPDATE OF geom ON zone
    FOR EACH ROW EXECUTE FUNCTION zone_area_sync();

-- jit = off: the set-returning functions' default row estimates give this small query a
-- planned cost in the billions, and PostgreSQL would JIT-compile it for every zone
-- (30-200 ms each instead of under 1 ms).
CREATE FUNCTION zone_parts_sync() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM zone_part WHERE zone_id = NEW.id;
    END IF;
    INSERT INTO zone_part (zone_id, geom)
    SELECT NEW.id, piece.geom
    FROM ST_Dump(NEW.geom) AS polygon,
         ST_Subdivide(polygon.geom, 255) AS subdivided(geom),
         ST_Dump(subdivided.geom) AS piece;
    RETURN NULL;
END $$;

CREATE TRIGGER zone_parts_sync AFTER INSERT OR UPDATE OF geom ON zone
    FOR EACH ROW EXECUTE FUNCTION zone_parts_sync();
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    # The relay only ever looks for unsent rows.
    op.create_index('ix_outbox_unsent', 'outbox', ['id'], unique=False,
                    postgresql_where=sa.text('sent_at IS NULL'))
    op.create_table('party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('unit', 'contractor', name='party_kind'), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('emails', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party')),
    sa.UniqueConstraint('name', name=op.f('uq_party_name'))
    )
    op.create_geospatial_table('service_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_area'))
    )
    op.create_geospatial_index('idx_service_area_geom', 'service_area', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name_fi', sa.String(length=200), nullable=False),
    sa.Column('name_sv', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('default_party_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('publish_policy', sa.Enum('immediate', 'moderated', 'never', name='publish_policy'), server_default='moderated', nullable=False),
    sa.Column('share_contact_with_party', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['default_party_id'], ['party.id'], name=op.f('fk_category_default_party_id_party'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('code', name=op.f('uq_category_code'))
    )
    op.create_geospatial_table('zone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=500), server_default='', nullable=False),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('all_categories', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('priority', sa.Integer(), server_default='0', nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=True),
    sa.Column('area_m2', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_zone_party_id_party'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zone'))
    )
    op.create_geospatial_index('idx_zone_geom', 'zone', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_zone_party_id'), 'zone', ['party_id'], unique=False)
    op.create_geospatial_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('location', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=2), server_default='fi', nullable=False),
    sa.Column('status', sa.Enum('received', 'triage', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected', name='report_status'), server_default='received', nullable=False),
    sa.Column('assigned_party_id', sa.Integer(), nullable=True),
    sa.Column('assigned_zone_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('follow_up_token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['assigned_party_id'], ['party.id'], name=op.f('fk_report_assigned_party_id_party'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assigned_zone_id'], ['zone.id'], name=op.f('fk_report_assigned_zone_id_zone'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_report_category_id_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('follow_up_token_hash', name=op.f('uq_report_follow_up_token_hash'))
    )
    op.create_geospatial_index('idx_report_location', 'report', ['location'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_report_assigned_party_id'), 'report', ['assigned_party_id'], unique=False)
    op.create_index(op.f('ix_report_category_id'), 'report', ['category_id'], unique=False)
    op.create_index(op.f('ix_report_status'), 'report', ['status'], unique=False)
    op.create_table('zone_category',
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_zone_category_category_id_category'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['zone_id'], ['zone.id'], name=op.f('fk_zone_category_zone_id_zone'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('zone_id', 'category_id', name=op.f('pk_zone_category'))
    )
    op.create_geospatial_table('zone_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='POLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['zone_id'], ['zone.id'], name=op.f('fk_zone_part_zone_id_zone'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zone_part'))
    )
    op.create_geospatial_index('idx_zone_part_geom', 'zone_part', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_zone_part_zone_id'), 'zone_part', ['zone_id'], unique=False)
    op.create_table('report_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('submitted', 'assigned', 'triaged', 'status_changed', 'comment', name='event_kind'), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('from_status', sa.Enum('received', 'triage', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected', name='report_status'), nullable=True),
    sa.Column('to_status', sa.Enum('received', 'triage', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected', name='report_status'), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('is_public', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_event_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_event'))
    )
    op.create_index(op.f('ix_report_event_report_id'), 'report_event', ['report_id'], unique=False)
    op.create_table('reporter_contact',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('consent', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_reporter_contact_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', name=op.f('pk_reporter_contact'))
    )
    op.execute(ZONE_TRIGGERS)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS zone_parts_sync ON zone")
    op.execute("DROP TRIGGER IF EXISTS zone_area_sync ON zone")
    op.execute("DROP FUNCTION IF EXISTS zone_parts_sync()")
    op.execute("DROP FUNCTION IF EXISTS zone_area_sync()")
    op.drop_table('reporter_contact')
    op.drop_index(op.f('ix_report_event_report_id'), table_name='report_event')
    op.drop_table('report_event')
    op.drop_index(op.f('ix_zone_part_zone_id'), table_name='zone_part')
    op.drop_geospatial_index('idx_zone_part_geom', table_name='zone_part', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('zone_part')
    op.drop_table('zone_category')
    op.drop_index(op.f('ix_report_status'), table_name='report')
    op.drop_index(op.f('ix_report_category_id'), table_name='report')
    op.drop_index(op.f('ix_report_assigned_party_id'), table_name='report')
    op.drop_geospatial_index('idx_report_location', table_name='report', postgresql_using='gist', column_name='location')
    op.drop_geospatial_table('report')
    op.drop_index(op.f('ix_zone_party_id'), table_name='zone')
    op.drop_geospatial_index('idx_zone_geom', table_name='zone', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('zone')
    op.drop_table('category')
    op.drop_geospatial_index('idx_service_area_geom', table_name='service_area', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('service_area')
    op.drop_table('party')
    op.drop_index('ix_outbox_unsent', table_name='outbox')
    op.drop_table('outbox')
    for enum_type in ("event_kind", "report_status", "publish_policy", "party_kind"):
        op.execute(f"DROP TYPE IF EXISTS {enum_type}")
