"""The managers' pages under /staff/ (the staff blueprint): the dashboard, heatmaps, hot
spots, exports and the files prepared for download. Each module registers its routes on
the staff blueprint; who sees what is services/analytics/access.figures_scope's answer.
Templates are under web/templates/figures/.
"""

# Each page's module, imported for its routes (kept in the order of the pages):
from feedbackgis.web.figures import (  # noqa: E402, F401
    dashboard,
    exports,
    files,
    heatmap,
    hot_spots,
)
