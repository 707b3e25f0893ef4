"""A category's Open311 group and keywords, in Finnish, Swedish and English

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LANGUAGES = ('fi', 'sv', 'en')


def upgrade() -> None:
    # All optional: the existing categories have neither until an admin gives them.
    for language in LANGUAGES:
        op.add_column('category', sa.Column(f'group_{language}', sa.String(length=100),
                                            nullable=True))
    for language in LANGUAGES:
        op.add_column('category', sa.Column(f'keywords_{language}', sa.String(length=500),
                                            nullable=True))


def downgrade() -> None:
    for language in reversed(LANGUAGES):
        op.drop_column('category', f'keywords_{language}')
    for language in reversed(LANGUAGES):
        op.drop_column('category', f'group_{language}')
