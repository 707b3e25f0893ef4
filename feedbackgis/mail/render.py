"""Rendering a notification email (subject, plain text, HTML) from mail/templates/.

Each kind of email is a pair of templates, `<kind>.txt` and `<kind>.html`. The text template
also holds the subject, in a block named `subject`, so both parts and the subject come from
the same texts (the gettext catalogs, through mail/translation.py) and the same data. HTML is
autoescaped and text is not: a resident's "<script>" reads as written in the text part and
harmlessly in the HTML part, and so would a "<" in a translation.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from feedbackgis.i18n import LANGUAGES
from feedbackgis.mail.translation import mail_texts

TEMPLATE_DIR = Path(__file__).parent / "templates"
# Long enough for category, a street address and the id; mail clients cut the rest anyway.
SUBJECT_MAX_LENGTH = 150


def line_breaks(text: str) -> Markup:
    """User text in HTML with its line breaks kept (escaped first, then joined with <br>)."""
    return Markup("<br>\n").join(escape(line) for line in text.splitlines())


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False,
                                     default=False),
        # A missing value is a bug in the caller, never an empty spot in a resident's email.
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["line_breaks"] = line_breaks
    return env


_env = _environment()


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _one_line(text: str) -> str:
    """A header value: whitespace (newlines above all) collapsed, then shortened."""
    return shorten(" ".join(text.split()), SUBJECT_MAX_LENGTH)


def render_subject(template: str, values: dict[str, Any]) -> str:
    text_template = _env.get_template(f"{template}.txt")
    subject_block = text_template.blocks["subject"]
    return _one_line("".join(subject_block(text_template.new_context(values))))


def render_email(template: str, language: str, **context: Any) -> tuple[str, str, str]:
    """(subject, text, html) of the email kind `template` in `language` (fi, sv or en)."""
    if language not in LANGUAGES:
        raise ValueError(f"No mail texts in language {language!r}; languages are {LANGUAGES}")
    # The recipient's language, not a request's: the callables are this language's own.
    values = {**context, "language": language, **mail_texts(language).template_callables()}
    subject = render_subject(template, values)
    values["subject"] = subject
    text = _env.get_template(f"{template}.txt").render(values)
    html = _env.get_template(f"{template}.html").render(values)
    return subject, text, html


def load_all_templates() -> int:
    """Compile every template and load every language's catalog now (a worker does this
    once, before it forks per job); returns the number of templates."""
    names = _env.list_templates(filter_func=lambda name: name.endswith((".txt", ".html")))
    for name in names:
        _env.get_template(name)
    for language in LANGUAGES:
        mail_texts(language)
    return len(names)
