"""axe-core (vendored by scripts/vendor-assets.sh) run in the page: WCAG 2.1 A and AA rules.

The script is evaluated through the browser's debugging protocol, which the pages' strict
Content-Security-Policy does not govern, so nothing of the pages is loosened for the test.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@cache
def _axe_source() -> str:
    return AXE.read_text()


def serious_violations(page: Page) -> list[str]:
    """Each serious or critical violation on the page, as 'rule: target, target ...'."""
    page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_21_AA)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in result["violations"] if violation["impact"] in BLOCKING
    ]
