"""What the Open311 tests read in a response, as a client would: the XML parsed, and none of
the private strings anywhere in the body."""
from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree


def xml_of(response) -> ElementTree.Element:  # noqa: ANN001 - a Flask test response
    assert response.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert response.content_type.startswith("text/xml")
    return ElementTree.fromstring(response.data)


def assert_none_of(response, private: Iterable[str]) -> None:  # noqa: ANN001
    text = response.get_data(as_text=True)
    for secret in private:
        assert secret not in text
