/*
 * The map page: published reports on the map and in a list, their filters, the report form
 * with its pin, and the reports waiting to be sent. Each concern is a module of its own;
 * this one reads the page's settings and wires them together.
 *
 * Without Leaflet (it did not load) the map says so, and the list, the form and the
 * waiting reports still work.
 */
import { createMap, loadServiceArea, readSettings } from "./area-map.js";
import { createFilters } from "./filters.js";
import { withId } from "./http.js";
import { registerServiceWorker } from "./offline.js";
import { createOutboxView } from "./outbox-view.js";
import { createPin } from "./pin.js";
import { createReportLayer } from "./report-layer.js";
import { createReportList } from "./report-list.js";
import { enhanceReportForm } from "./report-form.js";
import { element, say, text } from "./texts.js";

const REFRESH_DELAY_MS = 250;
const BBOX_DECIMALS = 5;

function pageSettings(element) {
  const data = element.dataset;
  const categoryNames = new Map();
  return {
    language: data.language,
    timeZone: data.timeZone || undefined,
    mapReportsUrl: data.mapReportsUrl,
    listUrl: data.listUrl,
    categoriesUrl: data.categoriesUrl,
    reportApiUrl: data.reportApiUrl,
    fieldOf: JSON.parse(data.fieldOf || "{}"),
    urls: {
      nearby: data.nearbyUrl, submit: data.submitUrl, photos: data.photosUrl,
      followers: data.followersUrl,
    },
    categoryNames,
    categoryName(category) {
      if (category && typeof category === "object") {
        return category.name || category.code;
      }
      return categoryNames.get(category) || category;
    },
    reportPageUrl(id) {
      const url = new URL(withId(data.reportPageUrl, id), window.location.href);
      url.searchParams.set("lang", data.language);
      return url.pathname + url.search;
    },
  };
}

function bboxOf(map) {
  const bounds = map.getBounds();
  return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
    .map((value, index) => Math.max(index % 2 ? -90 : -180, Math.min(index % 2 ? 90 : 180, value)).toFixed(BBOX_DECIMALS))
    .join(",");
}

function startMap(mapElement, page, filters, list) {
  const settings = readSettings(mapElement);
  const map = createMap(mapElement, settings);
  const layer = createReportLayer(map, page);
  const status = document.getElementById("reports-status");
  let timer = 0;

  async function refresh() {
    const query = filters.params();
    query.set("bbox", bboxOf(map));
    const listQuery = new URLSearchParams(query);
    query.set("zoom", String(map.getZoom()));
    list.load(listQuery);
    try {
      const answer = await layer.load(query);
      if (answer) {
        say(status, answer.truncated ? text("reports-truncated") : "");
      }
    } catch {
      say(status, text("reports-failed"));
    }
  }

  function refreshSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, REFRESH_DELAY_MS);
  }

  map.on("moveend", refreshSoon);
  loadServiceArea(map, settings);
  refreshSoon();
  return { map, refreshSoon };
}

function start() {
  const mapElement = document.getElementById("area-map");
  const form = document.getElementById("report-form");
  if (!mapElement || !form) {
    return;
  }
  const page = pageSettings(mapElement);
  const filterForm = document.getElementById("report-filters");
  for (const option of [...filterForm.elements.category.options].slice(1)) {
    page.categoryNames.set(option.value, option.text);  // until the API's answer comes
  }
  registerServiceWorker(mapElement.dataset.serviceWorkerUrl,
    [window.location.pathname + window.location.search, page.categoriesUrl]);

  const list = createReportList(page, {
    list: document.getElementById("report-list"),
    status: document.getElementById("report-list-status"),
    more: document.getElementById("report-list-more"),
  });
  let view = null;
  const filters = createFilters(filterForm, {
    categoriesUrl: page.categoriesUrl,
    onChange: () => (view ? view.refreshSoon() : list.load(filters.params())),
  });
  filters.loadCategories()
    .then((names) => names.forEach((name, code) => page.categoryNames.set(code, name)))
    .catch(() => {});  // the topics of the page itself stay

  const outboxView = createOutboxView(page, {
    section: document.getElementById("outbox"),
    status: document.getElementById("outbox-status"),
    list: document.getElementById("outbox-list"),
  });

  let pin = null;
  if (typeof window.L === "undefined") {
    say(document.getElementById("map-status"), mapElement.dataset.mapFailedMessage);
    list.load(filters.params());
  } else {
    view = startMap(mapElement, page, filters, list);
    pin = createPin(view.map, form, {
      panel: document.getElementById("pin-controls"),
      coordinates: document.getElementById("pin-coordinates"),
      locate: document.getElementById("pin-locate"),
      centre: document.getElementById("pin-centre"),
      remove: document.getElementById("pin-remove"),
    });
  }

  const sendStatus = element("p", "map-status send-status");
  sendStatus.setAttribute("role", "status");
  form.querySelector('button[type="submit"]').after(sendStatus);
  enhanceReportForm(form, page, { pin, outboxView, status: sendStatus });
}

start();
