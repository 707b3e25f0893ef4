"""Declarative base with a naming convention, so Alembic names constraints predictably."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def created_at_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


def value_enum(enum_type: type[enum.Enum], name: str, *, create_type: bool = True) -> Enum:
    """A PostgreSQL enum storing the members' values (not their Python names)."""
    return Enum(enum_type, name=name, create_type=create_type,
                values_callable=lambda members: [m.value for m in members])
