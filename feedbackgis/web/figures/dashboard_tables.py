"""The dashboard's tables, built once from services/analytics/dashboard's figures: the page
shows them (and draws charts from them) and the CSV downloads write them, so both always
carry the same numbers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext

from feedbackgis.domain.figures import share
from feedbackgis.i18n import N_, STATUS_NAMES
from feedbackgis.services.analytics.dashboard import Dashboard, FigureLine
from feedbackgis.web.figures.figure_format import Kind, Value, month_label
from feedbackgis.web.texts import status_name


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind


@dataclass(frozen=True)
class Table:
    name: str  # its CSV's name: /staff/dashboard/<name>.csv
    caption: str
    columns: list[Column]  # the first is the rows' heading
    rows: list[list[Value]]
    row_kinds: list[Kind] | None = None  # the key figures: each row's value is its own kind

    def kind(self, row: int, column: int) -> Kind:
        if self.row_kinds is not None and column > 0:
            return self.row_kinds[row]
        return self.columns[column].kind

    def cells(self) -> list[list[tuple[Value, Kind]]]:
        """Each row's values with their kinds, for the page and the CSV."""
        return [[(value, self.kind(r, c)) for c, value in enumerate(row)]
                for r, row in enumerate(self.rows)]

    def column(self, index: int) -> list[Value]:
        return [row[index] for row in self.rows]


# The figures of a line (a category, party, zone or month): heading, kind, value.
LINE_COLUMNS = [
    (N_("Reports"), Kind.COUNT, lambda line: line.counts["reports"]),
    (N_("Working days to first response, median"), Kind.DAYS, lambda line: line.response.median),
    (N_("Working days to first response, 90th percentile"), Kind.DAYS,
     lambda line: line.response.p90),
    (N_("Working days to fixed, median"), Kind.DAYS, lambda line: line.fixed.median),
    (N_("Working days to fixed, 90th percentile"), Kind.DAYS, lambda line: line.fixed.p90),
    (N_("Fixed within due time"), Kind.SHARE, lambda line: line.on_time_share),
    (N_("Reopened"), Kind.SHARE, lambda line: line.reopen_rate),
    (N_("Duplicates"), Kind.SHARE, lambda line: line.duplicate_rate),
    (N_("From phones"), Kind.SHARE, lambda line: line.phone_share),
    (N_("Sent offline"), Kind.SHARE, lambda line: line.offline_share),
    (N_("With a contact"), Kind.SHARE, lambda line: line.contact_share),
]
LINE_TABLES = {
    # name: (caption, the rows' heading, the dashboard's lines)
    "categories": (N_("Figures by category"), N_("Category"), "by_category"),
    "parties": (N_("Figures by party"), N_("Party"), "by_party"),
    "zones": (N_("Figures by zone"), N_("Zone"), "by_zone"),
    "months": (N_("Figures by month"), N_("Month"), "by_month"),
}
TABLE_NAMES = ("summary", *LINE_TABLES, "statuses")


def line_label(table: str, line: FigureLine) -> str:
    if table == "months" and isinstance(line.key, date):
        return month_label(line.key)
    if table == "parties" and line.key == 0:
        return gettext("No party")
    if table == "zones" and line.key == 0:
        return gettext("No zone")
    return line.label


def line_table(name: str, dashboard: Dashboard) -> Table:
    caption, heading, attribute = LINE_TABLES[name]
    columns = [Column(gettext(heading), Kind.TEXT)]
    columns += [Column(gettext(label), kind) for label, kind, _ in LINE_COLUMNS]
    rows = [[line_label(name, line), *(value(line) for _, _, value in LINE_COLUMNS)]
            for line in getattr(dashboard, attribute)]
    return Table(name, gettext(caption), columns, rows)


def summary_table(dashboard: Dashboard) -> Table:
    total = dashboard.total
    reports = total.counts["reports"]
    rows: list[list[Value]] = [[gettext(label), value(total)] for label, _, value in LINE_COLUMNS]
    kinds = [kind for _, kind, _ in LINE_COLUMNS]
    for label, count in ((N_("In Finnish"), "in_finnish"), (N_("In Swedish"), "in_swedish"),
                         (N_("In English"), "in_english")):
        rows.append([gettext(label), share(total.counts[count], reports)])
        kinds.append(Kind.SHARE)
    return Table("summary", gettext("Key figures"),
                 [Column(gettext("Figure"), Kind.TEXT), Column(gettext("Value"), Kind.TEXT)],
                 rows, row_kinds=kinds)


def status_table(dashboard: Dashboard) -> Table:
    whole = sum(dashboard.by_status.values())
    named = [(status_name(status) if status in STATUS_NAMES else status, reports)
             for status, reports in dashboard.by_status.items()]
    rows: list[list[Value]] = [[name, reports, share(reports, whole)] for name, reports
                               in sorted(named, key=lambda item: (-item[1], item[0]))]
    return Table("statuses", gettext("Reports by status"),
                 [Column(gettext("Status"), Kind.TEXT), Column(gettext("Reports"), Kind.COUNT),
                  Column(gettext("Share of the reports"), Kind.SHARE)], rows)


def dashboard_table(name: str, dashboard: Dashboard) -> Table:
    if name == "summary":
        return summary_table(dashboard)
    if name == "statuses":
        return status_table(dashboard)
    return line_table(name, dashboard)
