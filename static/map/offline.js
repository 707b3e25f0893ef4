/*
 * The service worker (/sw.js) keeps the app shell, so that the map page opens with no
 * signal. This page tells it which of its own addresses to keep too: the page in its
 * language and the topics in that language.
 */
export async function registerServiceWorker(url, keepUrls) {
  if (!("serviceWorker" in navigator)) {
    return;
  }
  try {
    await navigator.serviceWorker.register(url, { scope: "/" });
    const registration = await navigator.serviceWorker.ready;
    if (registration.active) {
      registration.active.postMessage({ type: "keep", urls: keepUrls });
    }
  } catch {
    // Without a worker the page works as before, only not offline.
  }
}
