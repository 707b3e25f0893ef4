"""Category descriptions, extra questions with their options, and reports' answers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUESTION_KIND = postgresql.ENUM('text', 'number', 'yesno', 'choice', name='question_kind',
                                create_type=False)


def upgrade() -> None:
    for language in ('fi', 'sv', 'en'):
        op.add_column('category', sa.Column(f'description_{language}', sa.String(length=300),
                                            nullable=True))
    # Every existing report answered no questions.
    op.add_column('report', sa.Column('answers', postgresql.JSONB(astext_type=sa.Text()),
                                      server_default='{}', nullable=False))

    QUESTION_KIND.create(op.get_bind(), checkfirst=True)
    op.create_table('category_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', QUESTION_KIND, nullable=False),
    sa.Column('required', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('prompt_fi', sa.String(length=500), nullable=False),
    sa.Column('prompt_sv', sa.String(length=500), nullable=False),
    sa.Column('prompt_en', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_category_question_category_id_category'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_question')),
    sa.UniqueConstraint('category_id', 'code', name=op.f('uq_category_question_category_id'))
    )
    op.create_table('category_question_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('label_fi', sa.String(length=200), nullable=False),
    sa.Column('label_sv', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['category_question.id'], name=op.f('fk_category_question_option_question_id_category_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_question_option')),
    sa.UniqueConstraint('question_id', 'key', name=op.f('uq_category_question_option_question_id'))
    )


def downgrade() -> None:
    op.drop_table('category_question_option')
    op.drop_table('category_question')
    QUESTION_KIND.drop(op.get_bind(), checkfirst=True)
    op.drop_column('report', 'answers')
    for language in ('fi', 'sv', 'en'):
        op.drop_column('category', f'description_{language}')
