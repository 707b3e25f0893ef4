"""Finding the one-click answers of "Is it fixed?" in an email's text."""
from __future__ import annotations

import re


def answer_link(text: str, base_url: str, answer: str) -> str:
    """The one link of `answer` ("yes" or "no") under base_url/fixed/ in `text`."""
    pattern = re.escape(base_url.rstrip("/") + "/fixed/") + r"[^\s<>\"]+"
    found = {url for url in re.findall(pattern, text) if f"answer={answer}&" in url}
    assert len(found) == 1, found
    return found.pop()


def path_of(url: str, base_url: str) -> str:
    return url.removeprefix(base_url.rstrip("/"))
