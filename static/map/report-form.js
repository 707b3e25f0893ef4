/*
 * The report form with a script: sent as JSON to POST /api/v1/reports with an
 * Idempotency-Key made once per report, kept on the device when there is no connection,
 * and the API's refusals shown next to their fields with the same texts as the server's
 * form. Without this script the same form posts to /report and works as well.
 */
import { findNearby, hideDuplicates, showDuplicates } from "./duplicates.js";
import { clearErrors, markField } from "./field-errors.js";
import { forget, keep, send } from "./outbox.js";
import { createPhotoPicker, refusalText } from "./photos.js";
import { element, say, text } from "./texts.js";

const CONTACT_FIELDS = ["name", "email", "phone"];

function value(form, name) {
  const field = form.elements[name];
  return field ? String(field.value || "").trim() : "";
}

/* The chosen topic's answers, as the API takes them (answer-<topic>-<question> fields). */
function answersOf(form, category) {
  const prefix = `answer-${category}-`;
  const answers = {};
  for (const field of form.elements) {
    if (!field.name || !field.name.startsWith(prefix) || ((field.type === "radio" || field.type === "checkbox") && !field.checked)) {
      continue;
    }
    const raw = String(field.value).trim();
    if (!raw) {
      continue;
    }
    const code = field.name.slice(prefix.length);
    if (field.type === "radio" && (raw === "yes" || raw === "no")) {
      answers[code] = raw === "yes";
    } else if (field.inputMode === "decimal" && /^-?\d+([.,]\d+)?$/.test(raw)) {
      answers[code] = Number(raw.replace(",", "."));
    } else {
      answers[code] = raw;
    }
  }
  return answers;
}

function bodyOf(form, page, pin) {
  const category = value(form, "category");
  const body = { category, description: form.elements.description.value, language: page.language };
  if (pin) {
    body.location = { lon: pin.lon, lat: pin.lat };
  }
  const place = value(form, "place");
  if (place) {
    body.address = place;
  }
  const contact = {};
  for (const name of CONTACT_FIELDS) {
    if (value(form, name)) {
      contact[name] = value(form, name);
    }
  }
  if (Object.keys(contact).length) {
    body.contact = { ...contact, consent: Boolean(form.elements.consent && form.elements.consent.checked) };
  }
  const answers = answersOf(form, category);
  if (Object.keys(answers).length) {
    body.answers = answers;
  }
  return body;
}

/* ---------------------------------------------------------------- errors beside fields */

function formField(page, path, category) {
  if (path.startsWith("answers.")) {
    return `answer-${category}-${path.slice("answers.".length)}`;
  }
  if (path === "file") {
    return "photos";  // a photo's upload (POST /api/v1/photos) names its own field
  }
  return page.fieldOf[path] || "_form";
}

function messageFor(field, details) {
  if (field === "place" && details.some((detail) => detail.includes("outside"))) {
    return text("outside-area");
  }
  if (field.startsWith("answer-")) {
    return text("field-error-answer") || text("field-error-_form");
  }
  return text(`field-error-${field}`) || text("field-error-_form");
}

function showErrors(form, page, body, fields, messages = {}) {
  clearErrors(form);
  const errors = new Map();
  for (const [path, details] of Object.entries(fields || {})) {
    const field = formField(page, path, body.category);
    if (!errors.has(field)) {
      errors.set(field, messages[field] || messageFor(field, details));
    }
  }
  if (!body.location && !body.address && !errors.has("place")) {
    errors.set("place", messageFor("place", []));  // as the server's form says it at once
  }
  if (errors.size === 0) {
    errors.set("_form", text("field-error-_form"));
  }
  const summary = element("div", "error-summary");
  summary.id = "report-error-summary";
  summary.setAttribute("role", "alert");
  summary.tabIndex = -1;
  summary.append(element("h3", null, text("error-summary")));
  const list = element("ul");
  for (const [field, message] of errors) {
    const shown = field !== "_form" && markField(form, field, message);
    const link = element("a", null, message);
    link.href = shown ? `#field-${field}` : "#report-form";
    const item = element("li");
    item.append(link);
    list.append(item);
  }
  summary.append(list);
  form.before(summary);
  summary.focus();
}

/* ---------------------------------------------------------------- topics' questions */

function showQuestionsOfChosenTopic(form) {
  const chosen = value(form, "category");
  for (const fieldset of form.querySelectorAll(".questions[data-category]")) {
    fieldset.hidden = fieldset.dataset.category !== chosen;
  }
}

/* ---------------------------------------------------------------- sending */

export function enhanceReportForm(form, page, { pin, outboxView, status }) {
  let key = null;            // the Idempotency-Key of the report being written
  let dismissed = "";        // the topic and pin whose nearby reports were not the same
  let sending = false;
  const photos = createPhotoPicker(form, { uploadUrl: page.urls.photos, pin });

  showQuestionsOfChosenTopic(form);
  form.addEventListener("change", (event) => {
    if (event.target.name === "category") {
      showQuestionsOfChosenTopic(form);
    }
  });

  function goToFollowUp(answer) {
    const target = new URL(answer.follow_up_url, window.location.href);
    target.searchParams.set("lang", page.language);
    target.searchParams.set("sent", "1");
    window.location.assign(target.href);
  }

  async function submit() {
    const place = pin ? pin.get() : null;
    const body = bodyOf(form, page, place);
    hideDuplicates();
    const signature = place ? `${body.category} ${place.lon} ${place.lat}` : "";
    if (place && body.category && navigator.onLine && signature !== dismissed) {
      const nearby = await findNearby(page, { ...place, category: body.category });
      if (nearby.length) {
        showDuplicates(page, form, nearby, {
          email: value(form, "email"),
          onSendAnyway: () => {
            dismissed = signature;
            form.requestSubmit();
          },
        });
        return;
      }
    }
    key = key || crypto.randomUUID();
    say(status, text("sending"));
    await photos.settled();  // photos chosen a moment ago: their tokens, or their refusals
    const report = { key, body, photos: photos.photos(), createdAt: Date.now() };
    await keep(report);  // first kept: a tab closed halfway loses nothing
    const outcome = await send(report, page.urls);
    if (outcome.kind === "sent") {
      goToFollowUp(outcome.answer);
      return;
    }
    if (outcome.kind === "refused") {
      await forget(report.key);  // it is the form's to fix, not the outbox's to resend
      say(status, "");
      const messages = {};
      if (outcome.photo !== undefined) {  // a photo that could not be sent before
        photos.drop(outcome.photo);
        messages.photos = refusalText(outcome.status, outcome.photo);
      }
      showErrors(form, page, body, outcome.body && outcome.body.fields, messages);
      return;
    }
    // No connection: the report waits on this device; the form is free for the next one.
    clearErrors(form);
    outboxView.note(report, outcome);
    form.reset();
    photos.reset();
    if (pin) {
      pin.clear();
    }
    showQuestionsOfChosenTopic(form);
    key = null;
    say(status, text("kept-offline"));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) {
      return;
    }
    sending = true;
    try {
      await submit();
    } finally {
      sending = false;
    }
  });
}
