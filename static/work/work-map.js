/*
 * The contractor's map of its work orders: the page's work orders from the GeoJSON the
 * server embedded in the page (<script type="application/json" id="work-map-points">), and
 * the phone's position when the list was sorted by it. Popups are built from text nodes:
 * a report's texts never become HTML. The list below the map has the same work orders, for
 * whoever cannot use a map.
 */
import { createMap } from "../map/area-map.js";
import { say } from "../map/texts.js";

const POINT = { radius: 10, weight: 2, color: "#ffffff", fillColor: "#0b4f9c", fillOpacity: 1 };
const LATE_POINT = { ...POINT, radius: 12, fillColor: "#b3261e" };  // and "late" in its popup
const HERE = { radius: 8, weight: 3, color: "#0b3d6b", fillColor: "#ffdd00", fillOpacity: 1 };
const MAX_FIT_ZOOM = 16;

function readPoints() {
  const node = document.getElementById("work-map-points");
  try {
    const collection = JSON.parse(node ? node.textContent : "null");
    return collection && Array.isArray(collection.features) ? collection.features : [];
  } catch {
    return [];
  }
}

function line(className, content) {
  const node = document.createElement("p");
  node.className = className;
  node.textContent = String(content);
  return node;
}

function popup(properties, openText) {
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

function isPoint(feature) {
  const coordinates = feature && feature.geometry && feature.geometry.coordinates;
  return Array.isArray(coordinates) && coordinates.length === 2 &&
    coordinates.every((value) => Number.isFinite(value));
}

function drawPoints(map, features, openText) {
  const group = L.featureGroup().addTo(map);
  for (const feature of features.filter(isPoint)) {
    const [lon, lat] = feature.geometry.coordinates;
    const style = feature.properties.late ? LATE_POINT : POINT;
    L.circleMarker([lat, lon], style)
      .bindPopup(() => popup(feature.properties, openText), { minWidth: 180, maxWidth: 260 })
      .addTo(group);
  }
  return group;
}

function drawHere(map, data, group) {
  const lon = Number(data.nearLon);
  const lat = Number(data.nearLat);
  if (data.nearLon === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    return;
  }
  L.circleMarker([lat, lon], HERE).bindTooltip(data.nearText).addTo(group);
}

function start() {
  const element = document.getElementById("work-map");
  if (!element) {
    return;
  }
  const data = element.dataset;
  const status = document.getElementById(data.statusId);
  if (typeof L === "undefined") {
    say(status, data.failedMessage);
    return;
  }
  const map = createMap(element, {
    tileUrl: data.tileUrl,
    tileAttribution: data.tileAttribution,
    center: [Number(data.centerLat), Number(data.centerLon)],  // Leaflet wants lat, lon
    zoom: Number(data.zoom),
    zoomInTitle: data.zoomInTitle,
    zoomOutTitle: data.zoomOutTitle,
  });
  const features = readPoints();
  const group = drawPoints(map, features, data.openText);
  drawHere(map, data, group);
  const bounds = group.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: MAX_FIT_ZOOM });
  }
  if (!features.some(isPoint)) {
    say(status, data.noneText);
  }
}

start();
