"""Photos of reports: re-encoded copies, attached by upload token, hidden by staff

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PHOTO_KIND = postgresql.ENUM('reporter', 'follow_up', 'after', name='photo_kind',
                             create_type=False)


def upgrade() -> None:
    PHOTO_KIND.create(op.get_bind(), checkfirst=True)
    op.create_table('photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('image_key', sa.String(length=200), nullable=False),
    sa.Column('thumbnail_key', sa.String(length=200), nullable=True),
    sa.Column('content_type', sa.String(length=50), server_default='image/jpeg', nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('hidden', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('kind', PHOTO_KIND, server_default='reporter', nullable=False),
    sa.Column('upload_token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_photo_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo')),
    sa.UniqueConstraint('image_key', name=op.f('uq_photo_image_key')),
    sa.UniqueConstraint('upload_token_hash', name=op.f('uq_photo_upload_token_hash'))
    )
    op.create_index(op.f('ix_photo_report_id'), 'photo', ['report_id'], unique=False)
    op.create_index('ix_photo_unattached', 'photo', ['created_at'], unique=False,
                    postgresql_where=sa.text('report_id IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_photo_unattached', table_name='photo')
    op.drop_index(op.f('ix_photo_report_id'), table_name='photo')
    op.drop_table('photo')
    PHOTO_KIND.drop(op.get_bind(), checkfirst=True)
