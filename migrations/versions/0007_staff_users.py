"""Staff accounts (staff_user) with their roles

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-12 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAFF_ROLE = postgresql.ENUM('admin', 'manager', 'handler', 'moderator', 'contractor',
                             name='staff_role', create_type=False)


def upgrade() -> None:
    STAFF_ROLE.create(op.get_bind(), checkfirst=True)
    op.create_table('staff_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('role', STAFF_ROLE, nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
              nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_staff_user_email_lower_case')),
    sa.CheckConstraint("(role IN ('handler', 'contractor')) = (party_id IS NOT NULL)",
                       name=op.f('ck_staff_user_party_of_role')),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'],
                            name=op.f('fk_staff_user_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_user_email'))
    )
    op.create_index(op.f('ix_staff_user_party_id'), 'staff_user', ['party_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_staff_user_party_id'), table_name='staff_user')
    op.drop_table('staff_user')
    STAFF_ROLE.drop(op.get_bind(), checkfirst=True)
