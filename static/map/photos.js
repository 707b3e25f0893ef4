/*
 * The report's photos. Each chosen photo is sent at once to POST /api/v1/photos, which
 * keeps a re-encoded copy without metadata and answers with an upload token (named in the
 * report's "photos") and the place the photo's EXIF gave, if any. That place is offered as
 * the pin (or as a new place for it) and never kept here.
 *
 * A photo the server will not take (413, 415, 422) is taken out of the field and the
 * reason is shown beside it. With no connection a photo waits as it is: it goes into the
 * outbox with the report, as a Blob, and outbox.js uploads it when the connection returns.
 */
import { clearFieldError, markField } from "./field-errors.js";
import { element, say, text } from "./texts.js";

export const MAX_PHOTOS = 3;
const FIELD = "photos";
const SAME_PLACE_DEGREES = 1e-5;  // about a metre: the pin is there already
const REFUSALS = { 413: "photo-too-large", 415: "photo-not-a-photo", 422: "photo-unreadable" };

/* What to say of a photo the server refused with `status`. */
export function refusalText(status, name) {
  const key = REFUSALS[status];
  return (key && text(key, { name: name || "" })) || text("field-error-photos");
}

async function upload(url, photo) {
  const body = new FormData();
  body.append("file", photo.blob, photo.name || "photo.jpg");
  let response;
  try {
    response = await fetch(url, { method: "POST", body, headers: { Accept: "application/json" } });
  } catch {
    return { kind: "waiting" };  // offline: the outbox sends it with the report
  }
  const answer = await response.json().catch(() => null);
  if (response.status === 201 && answer && answer.upload_token) {
    return { kind: "uploaded", answer };
  }
  if (response.status in REFUSALS) {
    return { kind: "refused", status: response.status };
  }
  return { kind: "waiting" };  // a passing failure: tried again with the report
}

function near(a, b) {
  return Math.abs(a.lon - b.lon) < SAME_PLACE_DEGREES && Math.abs(a.lat - b.lat) < SAME_PLACE_DEGREES;
}

export function createPhotoPicker(form, { uploadUrl, pin }) {
  const input = form.elements[FIELD];
  let photos = [];           // {blob, name, token}: what the report takes, as the outbox keeps it
  let pending = Promise.resolve();
  let generation = 0;        // a new choice makes the answers of the last one moot
  let offered = null;        // {lon, lat} of the photo's place while it is offered

  if (!input || input.type !== "file") {
    return { photos: () => [], settled: () => Promise.resolve(), drop() {}, reset() {} };
  }

  const panel = element("div", "photo-location");
  const message = element("p", "map-status photo-location__message");
  message.id = "photo-location-message";
  message.setAttribute("role", "status");
  message.tabIndex = -1;
  const useButton = element("button", "button button--secondary photo-location__use");
  useButton.type = "button";
  useButton.hidden = true;
  panel.append(message, useButton);
  input.after(panel);

  /* Keeps only `files` in the field, so that it shows what will be sent. */
  function keepOnly(files) {
    try {
      const transfer = new DataTransfer();
      files.forEach((file) => transfer.items.add(file));
      input.files = transfer.files;
    } catch {
      if (!files.length) {
        input.value = "";
      }
    }
  }

  function hideOffer() {
    offered = null;
    useButton.hidden = true;
    say(message, "");
  }

  function offer(gps) {
    const current = pin ? pin.get() : null;
    if (!pin || (current && near(current, gps))) {
      return;
    }
    offered = { lon: gps.lon, lat: gps.lat };
    say(message, text(current ? "photo-location-elsewhere" : "photo-location-found"));
    useButton.textContent = text(current ? "photo-location-move" : "photo-location-use");
    useButton.hidden = false;
  }

  useButton.addEventListener("click", () => {
    if (!offered) {
      return;
    }
    pin.set(offered.lon, offered.lat);
    offered = null;
    useButton.hidden = true;
    say(message, text("photo-location-used"));
    message.focus();  // the button is gone; the message says what happened
  });

  /* Uploads the photos that have no token yet; then offers a place and shows refusals. */
  async function uploadWaiting(notes = []) {
    const mine = generation;
    const todo = photos.filter((photo) => !photo.token);
    const outcomes = await Promise.all(todo.map((photo) => upload(uploadUrl, photo)));
    if (mine !== generation) {
      return;
    }
    const refused = [];
    let gps = null;
    todo.forEach((photo, index) => {
      const outcome = outcomes[index];
      if (outcome.kind === "uploaded") {
        photo.token = outcome.answer.upload_token;
        gps = gps || outcome.answer.gps || null;
      } else if (outcome.kind === "refused") {
        refused.push(photo);
        notes.push(refusalText(outcome.status, photo.name));
      }
    });
    if (refused.length) {
      photos = photos.filter((photo) => !refused.includes(photo));
      keepOnly(photos.map((photo) => photo.blob));
    }
    if (notes.length) {
      markField(form, FIELD, notes.join(" "));
    }
    if (gps) {
      offer(gps);
    } else if (!offered) {
      say(message, photos.some((photo) => !photo.token) ? text("photos-waiting") : "");
    }
  }

  function start(task) {
    pending = task.catch(() => {});
  }

  input.addEventListener("change", () => {
    generation += 1;
    clearFieldError(form, FIELD);
    hideOffer();
    let files = [...input.files];
    const notes = [];
    if (files.length > MAX_PHOTOS) {
      files = files.slice(0, MAX_PHOTOS);
      keepOnly(files);
      notes.push(text("field-error-photos"));
    }
    photos = files.map((file) => ({ blob: file, name: file.name, token: null }));
    start(uploadWaiting(notes));
  });

  // Photos chosen with no signal: their place can still be offered before the report goes.
  window.addEventListener("online", () => {
    if (photos.some((photo) => !photo.token)) {
      start(pending.then(() => uploadWaiting()));
    }
  });

  return {
    /* The photos the report takes; the outbox fills in the tokens of those still waiting. */
    photos: () => [...photos],
    /* Resolves once the photos chosen so far have been tried. */
    async settled() {
      let current;
      do {
        current = pending;
        await current;
      } while (current !== pending);
    },
    /* Takes out a photo that the server refused when the report was sent. */
    drop(name) {
      const refused = photos.find((photo) => !photo.token && photo.name === name);
      if (refused) {
        photos = photos.filter((photo) => photo !== refused);
        keepOnly(photos.map((photo) => photo.blob));
      }
    },
    reset() {
      generation += 1;
      photos = [];
      pending = Promise.resolve();
      hideOffer();
      clearFieldError(form, FIELD);
    },
  };
}
