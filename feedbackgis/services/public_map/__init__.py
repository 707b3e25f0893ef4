"""The public map and its list view: clustered counts, reports one by one, pages of reports."""
