"""Notifications (one row per email, idempotent), area subscriptions, report followers; token nonces

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:02:17.168901
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_geospatial_table('area_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area', Geometry(geometry_type='POLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('digest_since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('token_nonce', sa.String(length=64), nullable=False),
    sa.Column('confirm_token_hash', sa.String(length=64), nullable=False),
    sa.Column('unsubscribe_token_hash', sa.String(length=64), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area_subscription')),
    sa.UniqueConstraint('confirm_token_hash', name=op.f('uq_area_subscription_confirm_token_hash')),
    sa.UniqueConstraint('unsubscribe_token_hash', name=op.f('uq_area_subscription_unsubscribe_token_hash'))
    )
    op.create_geospatial_index('idx_area_subscription_area', 'area_subscription', ['area'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=400), nullable=False),
    sa.Column('kind', sa.String(length=50), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='delivery_status'), server_default='pending', nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_notification_report_id_report'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_notification_idempotency_key'))
    )
    op.create_index(op.f('ix_notification_report_id'), 'notification', ['report_id'], unique=False)
    op.create_table('report_follower',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('token_nonce', sa.String(length=64), nullable=False),
    sa.Column('confirm_token_hash', sa.String(length=64), nullable=False),
    sa.Column('unsubscribe_token_hash', sa.String(length=64), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_follower_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_follower')),
    sa.UniqueConstraint('confirm_token_hash', name=op.f('uq_report_follower_confirm_token_hash')),
    sa.UniqueConstraint('report_id', 'email', name=op.f('uq_report_follower_report_id')),
    sa.UniqueConstraint('unsubscribe_token_hash', name=op.f('uq_report_follower_unsubscribe_token_hash'))
    )
    op.create_index(op.f('ix_report_follower_report_id'), 'report_follower', ['report_id'], unique=False)
    # Reports stored before nonces existed keep working links through their stored hash;
    # they get a random nonce only so the column can be NOT NULL.
    op.add_column('report', sa.Column('follow_up_nonce', sa.String(length=64), nullable=True))
    op.execute("UPDATE report SET follow_up_nonce = md5(random()::text) || md5(random()::text)")
    op.alter_column('report', 'follow_up_nonce', nullable=False)
    op.add_column('report', sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE report SET published_at = created_at WHERE is_public")


def downgrade() -> None:
    op.drop_column('report', 'published_at')
    op.drop_column('report', 'follow_up_nonce')
    op.drop_index(op.f('ix_report_follower_report_id'), table_name='report_follower')
    op.drop_table('report_follower')
    op.drop_index(op.f('ix_notification_report_id'), table_name='notification')
    op.drop_table('notification')
    op.drop_geospatial_index('idx_area_subscription_area', table_name='area_subscription', postgresql_using='gist', column_name='area')
    op.drop_geospatial_table('area_subscription')
    op.execute("DROP TYPE IF EXISTS delivery_status")
