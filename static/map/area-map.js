/*
 * The map page's map: background tiles and the municipality's service area.
 *
 * Settings and texts come from data-* attributes of #area-map (rendered and escaped by the
 * server), so the page needs no inline script and its CSP can stay script-src 'self'.
 * Every failure here is local: tiles that do not load leave a blank background, an area that
 * does not load leaves the default view and a polite message; the rest of the page works.
 */
import { say } from "./texts.js";

const AREA_STYLE = { color: "#0b4f9c", weight: 3, opacity: 0.9, fillColor: "#0b4f9c", fillOpacity: 0.08 };

export function readSettings(element) {
  const data = element.dataset;
  return {
    areaUrl: data.areaUrl,
    tileUrl: data.tileUrl,
    tileAttribution: data.tileAttribution,
    // Settings are lon, lat like the rest of the code; Leaflet wants [lat, lon].
    center: [Number(data.centerLat), Number(data.centerLon)],
    zoom: Number(data.zoom),
    zoomInTitle: data.zoomInTitle,
    zoomOutTitle: data.zoomOutTitle,
    areaFailedMessage: data.areaFailedMessage,
    mapFailedMessage: data.mapFailedMessage,
    status: document.getElementById(data.statusId),
  };
}

export function createMap(element, settings) {
  const animate = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const map = L.map(element, {
    zoomControl: false,  // added below, with titles in the page's language
    zoomAnimation: animate,
    fadeAnimation: animate,
    markerZoomAnimation: animate,
  }).setView(settings.center, settings.zoom);
  L.control.zoom({ zoomInTitle: settings.zoomInTitle, zoomOutTitle: settings.zoomOutTitle }).addTo(map);
  L.tileLayer(settings.tileUrl, { maxZoom: 19, attribution: settings.tileAttribution }).addTo(map);
  return map;
}

function isFeatureCollection(value) {
  return value !== null && typeof value === "object" && value.type === "FeatureCollection" &&
    Array.isArray(value.features);
}

function drawArea(map, collection) {
  if (!isFeatureCollection(collection)) {
    throw new Error("the service area is not a GeoJSON FeatureCollection");
  }
  if (collection.features.length === 0) {
    return;  // no area configured yet: the default view stays
  }
  // Not interactive: the area is a backdrop (taps go through it to the map, for the pin).
  const layer = L.geoJSON(collection, { style: AREA_STYLE, interactive: false }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [12, 12] });
  }
}

export async function loadServiceArea(map, settings) {
  try {
    const response = await fetch(settings.areaUrl, { headers: { Accept: "application/geo+json, application/json" } });
    if (!response.ok) {
      throw new Error(`service area request failed with HTTP ${response.status}`);
    }
    drawArea(map, await response.json());
  } catch {
    say(settings.status, settings.areaFailedMessage);
  }
}
