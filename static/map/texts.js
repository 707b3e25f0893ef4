/*
 * Texts in the page's language. The server renders them into <template id="map-texts">
 * (gettext, escaped); they are read as text and put into the page as text, never as HTML.
 */
const template = document.getElementById("map-texts");

export function text(key, values = {}) {
  const node = template ? template.content.querySelector(`[data-key="${key}"]`) : null;
  let found = node ? node.textContent.trim() : "";
  for (const [name, value] of Object.entries(values)) {
    found = found.replace(`{${name}}`, String(value));
  }
  return found;
}

/* An element with a class and a text, the one way these scripts make visible text. */
export function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (content !== undefined && content !== null) {
    node.textContent = String(content);
  }
  return node;
}

export function say(status, message) {
  if (status) {
    status.textContent = message;  // text, never HTML
  }
}

export function formatDate(iso, language, timeZone) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) {
    return "";
  }
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone }).format(moment);
}
