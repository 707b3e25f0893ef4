/*
 * Reports waiting to be sent, kept in IndexedDB (photos as Blobs) so that a report written
 * with no signal survives a closed tab, and sent by itself when the connection returns.
 *
 * Each report keeps the Idempotency-Key it was made with, and the upload tokens of photos
 * already sent: a resend (a flaky network, a reload, a second tab) repeats the same request,
 * and the server answers it with the report it already stored instead of storing another.
 */
const DATABASE = "feedbackgis";
const STORE = "outbox";
const LOCK = "feedbackgis-outbox";

function request(idbRequest) {
  return new Promise((resolve, reject) => {
    idbRequest.onsuccess = () => resolve(idbRequest.result);
    idbRequest.onerror = () => reject(idbRequest.error);
  });
}

let opened = null;

function database() {
  if (!opened) {
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "key" });
    opened = request(opening);
  }
  return opened;
}

async function store(mode) {
  return (await database()).transaction(STORE, mode).objectStore(STORE);
}

export async function waitingReports() {
  const found = await request((await store("readonly")).getAll());
  return found.sort((a, b) => a.createdAt - b.createdAt);
}

export async function keep(report) {
  await request((await store("readwrite")).put(report));
}

export async function forget(key) {
  await request((await store("readwrite")).delete(key));
}

async function stillWaiting(key) {
  return (await request((await store("readonly")).get(key))) || null;
}

/* One sender at a time across this browser's tabs, where Web Locks exist. */
function exclusively(task) {
  return navigator.locks ? navigator.locks.request(LOCK, task) : task();
}

const RETRY_LATER = new Set([408, 425, 429, 500, 502, 503, 504]);

async function uploadPhotos(report, urls) {
  for (const photo of report.photos) {
    if (photo.token) {
      continue;
    }
    const body = new FormData();
    body.append("file", photo.blob, photo.name || "photo.jpg");
    const response = await fetch(urls.photos, { method: "POST", body, headers: { Accept: "application/json" } });
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      return { status: response.status, body: answer || { fields: { photos: [] } }, photo: photo.name || "" };
    }
    photo.token = answer.upload_token;
    await keep(report);  // the token, so that a resend sends the same body
  }
  return null;
}

/* Sends one report: {kind: "sent", answer}, {kind: "refused", status, body} (the server
 * will not take it as it is) or {kind: "waiting"} (no connection or a passing failure). */
/* `resent`: the report waited on the device (for a connection) and goes now; the server
 * counts such reports in its usage figures. It does not change the report's request for
 * its Idempotency-Key. */
async function sendOne(report, urls, resent = false) {
  try {
    const photoRefusal = await uploadPhotos(report, urls);
    if (photoRefusal) {
      return RETRY_LATER.has(photoRefusal.status) ? { kind: "waiting" } : { kind: "refused", ...photoRefusal };
    }
    const body = resent ? { ...report.body, sent_offline: true } : { ...report.body };
    const tokens = report.photos.map((photo) => photo.token).filter(Boolean);
    if (tokens.length) {
      body.photos = tokens;
    }
    const response = await fetch(urls.submit, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": report.key },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => null);
    if (response.status === 201 && answer) {
      await forget(report.key);
      return { kind: "sent", answer };
    }
    if (RETRY_LATER.has(response.status) || answer === null) {
      return { kind: "waiting" };
    }
    return { kind: "refused", status: response.status, body: answer };
  } catch {
    return { kind: "waiting" };  // offline, or the connection broke on the way
  }
}

export function send(report, urls) {
  return exclusively(async () => {
    if (!(await stillWaiting(report.key))) {
      return { kind: "gone" };  // another tab sent it meanwhile
    }
    return sendOne(report, urls);
  });
}

/* Sends every waiting report that the server has not refused; reports each outcome. */
export function sendWaiting(urls, onOutcome) {
  return exclusively(async () => {
    for (const report of await waitingReports()) {
      if (report.refused) {
        continue;
      }
      onOutcome(report, { kind: "sending" });
      const outcome = await sendOne(report, urls, true);
      if (outcome.kind === "refused") {
        await keep({ ...report, refused: true });
      }
      onOutcome(report, outcome);
      if (outcome.kind === "waiting") {
        break;  // still offline: the rest would fail the same way
      }
    }
  });
}
