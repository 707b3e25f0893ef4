"""Open311 both ways: submissions by client systems, deliveries to parties' systems, updates
received; API keys of a party's system; a party's Open311 endpoint

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 17:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text('now()')


def upgrade() -> None:
    op.add_column('api_key', sa.Column('party_id', sa.Integer(), nullable=True))
    op.create_foreign_key(op.f('fk_api_key_party_id_party'), 'api_key', 'party',
                          ['party_id'], ['id'], ondelete='SET NULL')
    op.add_column('party', sa.Column('open311_url', sa.String(length=2000), nullable=True))
    op.add_column('party', sa.Column('open311_api_key', sa.String(length=200), nullable=True))
    op.add_column('party', sa.Column('open311_jurisdiction_id', sa.String(length=200),
                                     nullable=True))
    op.add_column('party', sa.Column('open311_service_codes',
                                     postgresql.JSONB(astext_type=sa.Text()),
                                     server_default='{}', nullable=False))
    op.add_column('party', sa.Column('open311_updates_until', sa.DateTime(timezone=True),
                                     nullable=True))
    # How the pull of its updates last went, for the admins (cleared on success).
    op.add_column('party', sa.Column('open311_pulled_at', sa.DateTime(timezone=True),
                                     nullable=True))
    op.add_column('party', sa.Column('open311_pull_error', sa.Text(), nullable=True))
    op.add_column('party', sa.Column('open311_pull_error_at', sa.DateTime(timezone=True),
                                     nullable=True))
    op.create_table('open311_submission',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('api_key_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=200), nullable=True),
    sa.Column('account_id', sa.String(length=200), nullable=True),
    sa.Column('media_url', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    sa.ForeignKeyConstraint(['api_key_id'], ['api_key.id'],
                            name=op.f('fk_open311_submission_api_key_id_api_key')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'],
                            name=op.f('fk_open311_submission_report_id_report'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', name=op.f('pk_open311_submission')),
    sa.UniqueConstraint('token', name=op.f('uq_open311_submission_token'))
    )
    op.create_index(op.f('ix_open311_submission_api_key_id'), 'open311_submission',
                    ['api_key_id'], unique=False)
    op.create_table('open311_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('state', postgresql.ENUM('pending', 'sent', 'failed',
                                       name='open311_delivery_state'), nullable=False),
    sa.Column('service_request_id', sa.String(length=200), nullable=True),
    sa.Column('token', sa.String(length=200), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'],
                            name=op.f('fk_open311_delivery_party_id_party'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'],
                            name=op.f('fk_open311_delivery_report_id_report'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open311_delivery')),
    sa.UniqueConstraint('report_id', 'party_id', name=op.f('uq_open311_delivery_report_id'))
    )
    op.create_index(op.f('ix_open311_delivery_party_id'), 'open311_delivery', ['party_id'],
                    unique=False)
    op.create_index('ix_open311_delivery_state', 'open311_delivery', ['state'], unique=False)
    op.create_table('open311_update_received',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('api_key_id', sa.Integer(), nullable=True),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('update_id', sa.String(length=200), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    sa.ForeignKeyConstraint(['api_key_id'], ['api_key.id'],
                            name=op.f('fk_open311_update_received_api_key_id_api_key')),
    sa.ForeignKeyConstraint(['event_id'], ['report_event.id'],
                            name=op.f('fk_open311_update_received_event_id_report_event'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'],
                            name=op.f('fk_open311_update_received_party_id_party'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'],
                            name=op.f('fk_open311_update_received_report_id_report'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open311_update_received'))
    )
    op.create_index(op.f('ix_open311_update_received_report_id'), 'open311_update_received',
                    ['report_id'], unique=False)
    # A key without a party is a sender of its own; with a party, the party is the sender
    # (its system may both push and be pulled), the key only who sent it.
    op.create_index('uq_open311_update_received_api_key', 'open311_update_received',
                    ['api_key_id', 'update_id'], unique=True,
                    postgresql_where='party_id IS NULL')
    op.create_index('uq_open311_update_received_party', 'open311_update_received',
                    ['party_id', 'update_id'], unique=True,
                    postgresql_where='party_id IS NOT NULL')
    # The bbox and radius extensions of GET requests find public reports in a viewport.
    op.create_index('ix_report_public_location', 'report', ['location'], unique=False,
                    postgresql_using='gist', postgresql_where='is_public')
    # GET servicerequestupdates reads the public events of a period.
    op.create_index('ix_report_event_public_created_at', 'report_event', ['created_at'],
                    unique=False, postgresql_where='is_public')
    # Every request of a GET requests page asks for its latest public reply and first photo.
    op.create_index('ix_report_event_public_reply', 'report_event', ['report_id', 'id'],
                    unique=False,
                    postgresql_where="kind = 'reply' AND is_public AND note IS NOT NULL")
    op.create_index('ix_photo_shown', 'photo', ['report_id', 'position', 'id'], unique=False,
                    postgresql_where='NOT hidden')


def downgrade() -> None:
    op.drop_index('ix_photo_shown', table_name='photo', postgresql_where='NOT hidden')
    op.drop_index('ix_report_event_public_reply', table_name='report_event',
                  postgresql_where="kind = 'reply' AND is_public AND note IS NOT NULL")
    op.drop_index('ix_report_event_public_created_at', table_name='report_event',
                  postgresql_where='is_public')
    op.drop_index('ix_report_public_location', table_name='report',
                  postgresql_using='gist', postgresql_where='is_public')
    op.drop_table('open311_update_received')
    op.drop_table('open311_delivery')
    op.execute('DROP TYPE open311_delivery_state')
    op.drop_table('open311_submission')
    for column in ('open311_pull_error_at', 'open311_pull_error', 'open311_pulled_at',
                   'open311_updates_until', 'open311_service_codes',
                   'open311_jurisdiction_id', 'open311_api_key', 'open311_url'):
        op.drop_column('party', column)
    op.drop_constraint(op.f('fk_api_key_party_id_party'), 'api_key', type_='foreignkey')
    op.drop_column('api_key', 'party_id')
