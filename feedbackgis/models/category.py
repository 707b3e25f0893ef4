"""Report categories with their names in the service languages and their handling policy."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, SmallInteger, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackgis.domain.publication import PublishPolicy
from feedbackgis.models.base import Base, created_at_column, value_enum
from feedbackgis.models.party import Party

if TYPE_CHECKING:
    from feedbackgis.models.category_question import CategoryQuestion

DESCRIPTION_MAX_LENGTH = 300
GROUP_MAX_LENGTH = 100
KEYWORDS_MAX_LENGTH = 500


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_fi: Mapped[str] = mapped_column(String(200))
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    # A line telling residents what belongs in the category; none, or one in every language.
    description_fi: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX_LENGTH))
    description_sv: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX_LENGTH))
    description_en: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX_LENGTH))
    # Open311's `group`: the heading a client lists the category under ("Streets and
    # traffic"); none, or one in every language.
    group_fi: Mapped[str | None] = mapped_column(String(GROUP_MAX_LENGTH))
    group_sv: Mapped[str | None] = mapped_column(String(GROUP_MAX_LENGTH))
    group_en: Mapped[str | None] = mapped_column(String(GROUP_MAX_LENGTH))
    # Open311's `keywords`: words a resident might search for, "katuvalo, lamppu, pimeä"
    # (domain/category_keywords.py keeps the form); none, or a list in every language.
    keywords_fi: Mapped[str | None] = mapped_column(String(KEYWORDS_MAX_LENGTH))
    keywords_sv: Mapped[str | None] = mapped_column(String(KEYWORDS_MAX_LENGTH))
    keywords_en: Mapped[str | None] = mapped_column(String(KEYWORDS_MAX_LENGTH))
    default_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id", ondelete="SET NULL")
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    publish_policy: Mapped[PublishPolicy] = mapped_column(
        value_enum(PublishPolicy, "publish_policy"),
        default=PublishPolicy.MODERATED,
        server_default=PublishPolicy.MODERATED.value,
    )
    # Whether the reporter's contact details may be passed to the responsible party.
    share_contact_with_party: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # Working days from assignment to the due date (a contract's zone may set its own).
    handling_days: Mapped[int] = mapped_column(SmallInteger, default=10, server_default="10")
    created_at: Mapped[datetime] = created_at_column()

    default_party: Mapped[Party | None] = relationship(lazy="joined")
    # Removed questions too: old reports' answers are shown with their prompts.
    questions: Mapped[list[CategoryQuestion]] = relationship(
        back_populates="category", order_by="[CategoryQuestion.position, CategoryQuestion.id]",
        cascade="all, delete-orphan",
    )

    def name(self, language: str) -> str:
        return getattr(self, f"name_{language}", None) or self.name_fi

    def description(self, language: str) -> str | None:
        return getattr(self, f"description_{language}", None) or self.description_fi

    def group(self, language: str) -> str | None:
        return getattr(self, f"group_{language}", None) or self.group_fi

    def keywords(self, language: str) -> str | None:
        return getattr(self, f"keywords_{language}", None) or self.keywords_fi

    @property
    def active_questions(self) -> list[CategoryQuestion]:
        """The questions a new report answers, in the form's order."""
        return [question for question in self.questions if question.active]
