/*
 * The service worker of the map page: keeps the app shell (the map and report pages, the
 * scripts, styles and Leaflet, the topics and the service area) so that the page opens with
 * no signal. Pages and API answers: the network first, the kept copy when there is none.
 * Scripts and styles: the kept copy at once, refreshed from the network for the next visit.
 * Nothing else goes through it: map tiles, the map's reports and every POST go to the
 * network as they would without it, and no private page (a follow-up link) is ever kept.
 */
const SHELL_CACHE = "feedbackgis-shell-v2";
const SHELL = [
  "/",
  "/report",
  "/static/css/site.css",
  "/static/map/vendor/leaflet/leaflet.css",
  "/static/map/vendor/leaflet/leaflet.js",
  "/static/map/vendor/leaflet/images/marker-icon.png",
  "/static/map/vendor/leaflet/images/marker-icon-2x.png",
  "/static/map/vendor/leaflet/images/marker-shadow.png",
  "/static/map/area-map.js",
  "/static/map/duplicates.js",
  "/static/map/field-errors.js",
  "/static/map/filters.js",
  "/static/map/http.js",
  "/static/map/map-page.js",
  "/static/map/offline.js",
  "/static/map/outbox-view.js",
  "/static/map/outbox.js",
  "/static/map/photos.js",
  "/static/map/pin.js",
  "/static/map/report-form.js",
  "/static/map/report-layer.js",
  "/static/map/report-list.js",
  "/static/map/texts.js",
  "/api/v1/area",
];
const SHELL_PAGES = new Set(["/", "/report"]);
const KEPT_API = new Set(["/api/v1/categories", "/api/v1/area"]);
const NETWORK_TIMEOUT_MS = 6000;

// The pages vary with the language cookie and the browser's language; a kept copy is the
// resident's own, so the Vary header is not a reason to miss it.
const MATCH = { ignoreVary: true };

async function keepEach(urls) {
  const cache = await caches.open(SHELL_CACHE);
  // One by one: a single missing file must not leave the rest unkept.
  await Promise.all(urls.map((url) => cache.add(new Request(url, { credentials: "same-origin" })).catch(() => {})));
}

self.addEventListener("install", (event) => {
  event.waitUntil(keepEach(SHELL).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((name) => name.startsWith("feedbackgis-") && name !== SHELL_CACHE)
      .map((name) => caches.delete(name)))));
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    const own = data.urls.map((url) => new URL(url, self.location.origin))
      .filter((url) => url.origin === self.location.origin && isKept(url))
      .map((url) => url.href);
    event.waitUntil(keepEach(own));
  }
});

function isKept(url) {
  return SHELL_PAGES.has(url.pathname) || KEPT_API.has(url.pathname) || url.pathname.startsWith("/static/");
}

function withTimeout(promise) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), NETWORK_TIMEOUT_MS);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); });
  });
}

async function networkFirst(request, fallbackUrl) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await withTimeout(fetch(request));
    if (response.ok) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(request, MATCH) || (fallbackUrl && await cache.match(fallbackUrl, MATCH));
    if (kept) {
      return kept;
    }
    throw error;
  }
}

async function keptFirst(request, event) {
  const cache = await caches.open(SHELL_CACHE);
  const kept = await cache.match(request, MATCH);
  const fresh = fetch(request).then(async (response) => {
    if (response.ok) {
      await cache.put(request, response.clone());
    }
    return response;
  });
  if (kept) {
    event.waitUntil(fresh.catch(() => {}));
    return kept;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !isKept(url)) {
    return;  // the browser's own handling
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, "/"));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(keptFirst(request, event));
  } else {
    event.respondWith(networkFirst(request));
  }
});
