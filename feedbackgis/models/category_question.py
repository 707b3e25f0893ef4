"""A category's extra questions and the options of its one-of-a-list questions.

A question's `code` is unique in its category for good, removed questions included: answers
are stored under it (report.answers) and Open311 publishes it as the attribute code.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackgis.domain.questions import QuestionKind
from feedbackgis.models.base import Base, created_at_column, value_enum

if TYPE_CHECKING:
    from feedbackgis.models.category import Category

PROMPT_MAX_LENGTH = 500
LABEL_MAX_LENGTH = 200


class CategoryQuestion(Base):
    __tablename__ = "category_question"
    __table_args__ = (UniqueConstraint("category_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[QuestionKind] = mapped_column(value_enum(QuestionKind, "question_kind"))
    required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Order in the form (1, 2, ...) among the active questions; Open311's attribute `order`.
    position: Mapped[int] = mapped_column(Integer)
    prompt_fi: Mapped[str] = mapped_column(String(PROMPT_MAX_LENGTH))
    prompt_sv: Mapped[str] = mapped_column(String(PROMPT_MAX_LENGTH))
    prompt_en: Mapped[str] = mapped_column(String(PROMPT_MAX_LENGTH))
    # A removed question that has answers stays, inactive: no longer asked, still readable.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = created_at_column()

    category: Mapped[Category] = relationship(back_populates="questions")
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question", order_by="QuestionOption.position",
        cascade="all, delete-orphan", lazy="selectin",
    )

    def prompt(self, language: str) -> str:
        return getattr(self, f"prompt_{language}", None) or self.prompt_fi

    @property
    def option_keys(self) -> list[str]:
        return [option.key for option in self.options]

    def option_label(self, key: str, language: str) -> str | None:
        return next((o.label(language) for o in self.options if o.key == key), None)


class QuestionOption(Base):
    __tablename__ = "category_question_option"
    __table_args__ = (UniqueConstraint("question_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("category_question.id", ondelete="CASCADE")
    )
    # The stored answer and Open311's value `key`; the labels are what people read.
    key: Mapped[str] = mapped_column(String(64))
    label_fi: Mapped[str] = mapped_column(String(LABEL_MAX_LENGTH))
    label_sv: Mapped[str] = mapped_column(String(LABEL_MAX_LENGTH))
    label_en: Mapped[str] = mapped_column(String(LABEL_MAX_LENGTH))
    position: Mapped[int] = mapped_column(Integer)

    question: Mapped[CategoryQuestion] = relationship(back_populates="options")

    def label(self, language: str) -> str:
        return getattr(self, f"label_{language}", None) or self.label_fi
