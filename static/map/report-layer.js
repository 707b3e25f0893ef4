/*
 * Published reports on the map, drawn on one canvas: a point per report when zoomed in, and
 * when zoomed out the server's grid cells, each a circle with its count (tap to zoom in).
 * A point's popup is built from text nodes and links to the report's public page.
 */
import { getJson, withId } from "./http.js";
import { element, formatDate, text } from "./texts.js";

const FIXED_STATUSES = new Set(["fixed", "closed"]);
const POINT = { radius: 9, weight: 2, color: "#ffffff", fillOpacity: 1 };
const OPEN_FILL = "#b45309";   // amber, 5:1 against the white ring
const FIXED_FILL = "#1a7f37";  // green
const CELL = { weight: 2, color: "#ffffff", fillColor: "#0b4f9c", fillOpacity: 0.9 };
const CELL_ZOOM_STEP = 2;

/* A circle with its count written in it. Leaflet's canvas renderer draws each layer with
 * _updatePath; this one also writes the text (Leaflet 1.9.4 is vendored, so the private
 * members used here do not move under us). */
function countMarkerClass() {
  return L.CircleMarker.extend({
    _updatePath() {
      L.CircleMarker.prototype._updatePath.call(this);
      const renderer = this._renderer;
      if (!renderer._drawing || this._empty()) {
        return;
      }
      const context = renderer._ctx;
      context.fillStyle = "#ffffff";
      context.font = "bold 13px system-ui, sans-serif";
      context.textAlign = "center";
      context.textBaseline = "middle";
      context.fillText(this.options.label, this._point.x, this._point.y);
    },
  });
}

function cellRadius(count) {
  return Math.min(28, 12 + 3 * Math.log10(Math.max(count, 1)) * 2);
}

export function createReportLayer(map, page) {
  const renderer = L.canvas({ padding: 0.3, tolerance: 6 });  // tolerance: room for a thumb
  const CountMarker = countMarkerClass();
  const group = L.layerGroup().addTo(map);
  let controller = null;

  function popup(report) {
    const box = element("div", "report-popup");
    box.append(element("p", "report-popup__topic", page.categoryName(report.category)));
    box.append(element("p", "report-popup__status", text(`status-${report.status}`)));
    box.append(element("p", "report-popup__date",
      text("reported-on", { date: formatDate(report.created_at, page.language, page.timeZone) })));
    const description = element("p", "report-popup__description");
    box.append(description);
    const link = element("a", "report-popup__link", text("open-report"));
    link.href = page.reportPageUrl(report.id);
    box.append(link);
    // The map's answer is kept small; the description comes with the report itself.
    getJson(withId(page.reportApiUrl, report.id))
      .then((full) => { description.textContent = full.description || ""; })
      .catch(() => description.remove());
    return box;
  }

  function drawPoint(report) {
    const fillColor = FIXED_STATUSES.has(report.status) ? FIXED_FILL : OPEN_FILL;
    L.circleMarker([report.lat, report.lon], { ...POINT, fillColor, renderer })
      .bindPopup(() => popup(report), { minWidth: 180, maxWidth: 260 })
      .addTo(group);
  }

  function drawCell(cell) {
    const marker = new CountMarker([cell.lat, cell.lon], {
      ...CELL, renderer, radius: cellRadius(cell.count), label: String(cell.count),
    });
    marker.on("click", () => {
      map.setView([cell.lat, cell.lon], Math.min(map.getZoom() + CELL_ZOOM_STEP, map.getMaxZoom()));
    });
    marker.addTo(group);
  }

  /* Loads the reports of the view with `query` (URLSearchParams); an earlier load still on
   * its way is cancelled. Resolves to the answer, or null when cancelled. */
  async function load(query) {
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    const signal = controller.signal;
    try {
      const answer = await getJson(`${page.mapReportsUrl}?${query}`, signal);
      group.clearLayers();
      if (answer.clustered) {
        (answer.cells || []).forEach(drawCell);
      } else {
        (answer.reports || []).forEach(drawPoint);
      }
      return answer;
    } catch (error) {
      if (signal.aborted) {
        return null;
      }
      throw error;
    }
  }

  return { load };
}
