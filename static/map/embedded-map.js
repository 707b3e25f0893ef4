/*
 * Maps of the staff's pages (the inbox, the contractor's work orders, the admin's zones):
 * the features come from GeoJSON the server embedded in the page
 * (<script type="application/json" id="...">), so the map asks nothing of the network but
 * its tiles. Popups are built from text nodes: no text of a report or a zone becomes HTML.
 * Each page lists the same things below its map, for whoever cannot use a map.
 */
import { createMap } from "./area-map.js";
import { say } from "./texts.js";

const POINT = { radius: 8, weight: 2, color: "#ffffff", fillColor: "#0b4f9c", fillOpacity: 1 };
const MAX_FIT_ZOOM = 16;

/** The embedded FeatureCollection under `id`, or null when there is none to read. */
export function readCollection(id) {
  const node = document.getElementById(id);
  try {
    const collection = JSON.parse(node ? node.textContent : "null");
    return collection && Array.isArray(collection.features) ? collection : null;
  } catch {
    return null;
  }
}

/**
 * The map in the element `id`, set up from its data- attributes (tiles, centre, zoom,
 * texts); null when the element is missing or Leaflet did not load (said in its status).
 */
export function startMap(id) {
  const element = document.getElementById(id);
  if (!element) {
    return null;
  }
  const data = element.dataset;
  const status = document.getElementById(data.statusId);
  if (typeof L === "undefined") {
    say(status, data.failedMessage);
    return null;
  }
  const map = createMap(element, {
    tileUrl: data.tileUrl,
    tileAttribution: data.tileAttribution,
    center: [Number(data.centerLat), Number(data.centerLon)],  // Leaflet wants lat, lon
    zoom: Number(data.zoom),
    zoomInTitle: data.zoomInTitle,
    zoomOutTitle: data.zoomOutTitle,
  });
  return { map, data, status };
}

export function isPoint(feature) {
  const coordinates = feature && feature.geometry && feature.geometry.coordinates;
  return Array.isArray(coordinates) && coordinates.length === 2 &&
    coordinates.every((value) => Number.isFinite(value));
}

function line(className, content) {
  const node = document.createElement("p");
  node.className = className;
  node.textContent = String(content);
  return node;
}

function reportPopup(properties, openText) {
  const box = document.createElement("div");
  box.className = "report-popup";
  box.append(line("report-popup__topic", `#${properties.id} ${properties.category}`));
  box.append(line("report-popup__status", properties.status));
  if (properties.late) {
    box.append(line("report-popup__late late", properties.late));
  }
  // A path on this site only (the server makes it), never a URL of elsewhere.
  if (typeof properties.url === "string" && /^\/(?![/\\])/.test(properties.url)) {
    const link = document.createElement("a");
    link.href = properties.url;
    link.textContent = openText;
    box.append(link);
  }
  return box;
}

/**
 * Reports as points (late ones larger and red, and "late" in words in their popup), in a
 * group added to the map; `radius` of the ordinary point (a phone's finger wants more).
 */
export function drawReports(map, features, openText, radius = POINT.radius) {
  const point = { ...POINT, radius };
  const late = { ...point, radius: radius + 2, fillColor: "#b3261e" };
  const group = L.featureGroup().addTo(map);
  for (const feature of features.filter(isPoint)) {
    const [lon, lat] = feature.geometry.coordinates;
    L.circleMarker([lat, lon], feature.properties.late ? late : point)
      .bindPopup(() => reportPopup(feature.properties, openText), { minWidth: 180, maxWidth: 260 })
      .addTo(group);
  }
  return group;
}

/** Zoom to what the group holds; false when it holds nothing. */
export function fitTo(map, group, padding = 24) {
  const bounds = group.getBounds();
  if (!bounds.isValid()) {
    return false;
  }
  map.fitBounds(bounds, { padding: [padding, padding], maxZoom: MAX_FIT_ZOOM });
  return true;
}
