/*
 * The landing page's map: background tiles and the municipality's service area.
 *
 * Settings and texts come from data-* attributes of #area-map (rendered and escaped by the
 * server), so the page needs no inline script and its CSP can stay script-src 'self'.
 * Every failure here is local: tiles that do not load leave a blank background, an area that
 * does not load leaves the default view and a polite message; the rest of the page works.
 */
(function () {
  "use strict";

  var AREA_STYLE = { color: "#0b4f9c", weight: 3, opacity: 0.9, fillColor: "#0b4f9c", fillOpacity: 0.08 };

  function readSettings(element) {
    var data = element.dataset;
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
      status: document.getElementById(data.statusId)
    };
  }

  function announce(settings, message) {
    if (settings.status) {
      settings.status.textContent = message;  // text, never HTML
    }
  }

  function createMap(element, settings) {
    var animate = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(element, {
      zoomControl: false,  // added below, with titles in the page's language
      zoomAnimation: animate,
      fadeAnimation: animate,
      markerZoomAnimation: animate
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
    // Not interactive: the area is a backdrop, and it has no popups that could show its name.
    var layer = L.geoJSON(collection, { style: AREA_STYLE, interactive: false }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12] });
    }
  }

  function loadServiceArea(map, settings) {
    return fetch(settings.areaUrl, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("service area request failed with HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        drawArea(map, collection);
      })
      .catch(function () {
        announce(settings, settings.areaFailedMessage);
      });
  }

  function start() {
    var element = document.getElementById("area-map");
    if (!element) {
      return;
    }
    var settings = readSettings(element);
    if (typeof window.L === "undefined" || typeof window.fetch !== "function") {
      announce(settings, settings.mapFailedMessage);  // Leaflet did not load, or a very old browser
      return;
    }
    loadServiceArea(createMap(element, settings), settings);
  }

  start();
}());
