"""Use cases of the Open311 GeoReport v2 API (feedbackgis/open311/ is its web layer)."""
