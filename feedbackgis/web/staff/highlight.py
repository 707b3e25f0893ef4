"""The public text in pieces, with what looks like personal data marked for the moderator."""
from __future__ import annotations

from dataclasses import dataclass

from feedbackgis.domain.personal_data import Finding


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str | None = None  # the kind of personal data, when the piece is one


def highlighted(text: str, findings: list[Finding]) -> list[Piece]:
    """text cut at the findings (in order, not overlapping): the template marks them with
    <mark> and escapes every piece like any other value."""
    pieces, at = [], 0
    for finding in sorted(findings, key=lambda found: found.start):
        if finding.start < at:
            continue
        if finding.start > at:
            pieces.append(Piece(text[at:finding.start]))
        pieces.append(Piece(text[finding.start:finding.end], finding.kind.value))
        at = finding.end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces
