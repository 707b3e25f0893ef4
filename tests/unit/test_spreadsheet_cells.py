import pytest

from feedbackgis.domain.spreadsheet_cells import safe_cell


@pytest.mark.parametrize("text", ["=SUM(A1:A2)", "+1", "-1+2", "@cmd", "\t=1", "\r=1",
                                  "=HYPERLINK(\"http://x\")"])
def test_a_text_a_spreadsheet_would_run_gets_an_apostrophe_in_front(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Pothole", "1+1", "a=b", " =1", "'=1", "Katu 5 - B",
                                  "", "Ääkkönen"])
def test_an_ordinary_text_stays_as_it_is(text: str) -> None:
    assert safe_cell(text) == text
