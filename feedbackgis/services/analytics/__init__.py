"""The managers' figures: rollups kept up to date, the dashboard, heatmaps, hot spots,
exports, monthly summaries and the public open data."""
