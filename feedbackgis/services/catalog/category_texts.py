"""A category's texts in the service languages: its names (required), and its description,
Open311 group and keywords (each in every language or in none: a Swedish reader never gets
Finnish alone). The rules of add_category and update_category alike."""
from __future__ import annotations

from collections.abc import Mapping

from feedbackgis.domain.category_keywords import has_control_characters, normalised_keywords
from feedbackgis.errors import InvalidInput
from feedbackgis.models import Category
from feedbackgis.models.category import (
    DESCRIPTION_MAX_LENGTH,
    GROUP_MAX_LENGTH,
    KEYWORDS_MAX_LENGTH,
)

NAME_MAX_LENGTH = 200
NAME_COLUMNS = ("name_fi", "name_sv", "name_en")
DESCRIPTION_COLUMNS = ("description_fi", "description_sv", "description_en")
GROUP_COLUMNS = ("group_fi", "group_sv", "group_en")
KEYWORD_COLUMNS = ("keywords_fi", "keywords_sv", "keywords_en")
TEXT_COLUMNS = (*NAME_COLUMNS, *DESCRIPTION_COLUMNS, *GROUP_COLUMNS, *KEYWORD_COLUMNS)

# The optional texts: every language or none, with what the refusal says.
ALL_OR_NONE = {
    DESCRIPTION_COLUMNS: "Give the description in Finnish, Swedish and English, or in none.",
    GROUP_COLUMNS: "Give the group in Finnish, Swedish and English, or in none.",
    KEYWORD_COLUMNS: "Give the keywords in Finnish, Swedish and English, or in none.",
}


def _limit(column: str) -> int:
    if column in NAME_COLUMNS:
        return NAME_MAX_LENGTH
    if column in GROUP_COLUMNS:
        return GROUP_MAX_LENGTH
    if column in KEYWORD_COLUMNS:
        return KEYWORDS_MAX_LENGTH
    return DESCRIPTION_MAX_LENGTH


def checked_text(column: str, value: str) -> str:
    """`value` as stored in `column` ("" for none); InvalidInput on the column otherwise."""
    value = value.strip()
    if column in NAME_COLUMNS and not value:
        raise InvalidInput("A category needs a name in Finnish, Swedish and English.",
                           field=column)
    if column in KEYWORD_COLUMNS:
        value = normalised_keywords(value)
    # A group or a keyword list is one line (a client shows it as a heading or splits it).
    one_line = column in GROUP_COLUMNS or column in KEYWORD_COLUMNS
    if "\x00" in value or (one_line and has_control_characters(value)):
        what = "control characters (line breaks, tabs, NUL)" if one_line else "NUL"
        raise InvalidInput(f"{column} must not hold {what}.", field=column)
    limit = _limit(column)
    if len(value) > limit:
        raise InvalidInput(f"{column} must be at most {limit} characters, got {len(value)}.",
                           field=column)
    return value


def set_category_texts(category: Category, texts: Mapping[str, str | None]) -> None:
    """Set the texts given (None keeps one, "" clears an optional one), then check that the
    category has a name in every language and each optional text in all or none."""
    for column, value in texts.items():
        if value is not None:
            setattr(category, column, checked_text(column, value) or None)
    for columns, message in ALL_OR_NONE.items():
        missing = [column for column in columns if not getattr(category, column)]
        if 0 < len(missing) < len(columns):
            raise InvalidInput(message, field=missing[0])
