"""`python -m feedbackgis.cli`: the same as the `feedbackgis` command."""
from feedbackgis.cli import main

main()
