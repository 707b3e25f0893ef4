/*
 * "Is it one of these?": before a pinned report is sent, open reports on the same topic
 * near the pin are shown, each with a way to follow it by email instead; or the resident
 * sends their own anyway. Without a connection the question is skipped.
 */
import { getJson, postJson, withId } from "./http.js";
import { element, formatDate, say, text } from "./texts.js";

const LOOKUP_TIMEOUT_MS = 5000;

export async function findNearby(page, { lon, lat, category }) {
  const query = new URLSearchParams({ lon: String(lon), lat: String(lat), category, lang: page.language });
  try {
    const answer = await getJson(`${page.urls.nearby}?${query}`, AbortSignal.timeout(LOOKUP_TIMEOUT_MS));
    return answer.reports || [];
  } catch {
    return [];  // offline or slow: better to send than to wait
  }
}

function followForm(page, report, email) {
  const form = element("form", "follow-form");
  form.noValidate = true;
  const id = `follow-email-${report.id}`;
  const label = element("label", null, text("follow-email"));
  label.htmlFor = id;
  const input = element("input");
  Object.assign(input, { type: "email", id, name: "email", autocomplete: "email", value: email || "" });
  const button = element("button", "button button--secondary", text("follow-button"));
  button.type = "submit";
  const result = element("p", "follow-form__result");
  result.setAttribute("role", "status");
  form.append(label, input, button, result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let answer = null;
    try {
      answer = await postJson(withId(page.urls.followers, report.id),
        { email: input.value.trim(), language: page.language });
    } catch {
      answer = null;
    }
    if (answer && answer.status === 202) {
      form.replaceChildren(result);
      say(result, text("follow-done"));
    } else {
      input.setAttribute("aria-invalid", "true");
      say(result, text("follow-failed"));
    }
  });
  return form;
}

/* Shows the panel after `anchor`; `onSendAnyway` when none of them is the same thing. */
export function showDuplicates(page, anchor, reports, { email, onSendAnyway }) {
  hideDuplicates();
  const panel = element("section", "duplicates");
  panel.id = "duplicates";
  panel.setAttribute("aria-labelledby", "duplicates-heading");
  const heading = element("h3", null, text("duplicates-heading"));
  heading.id = "duplicates-heading";
  heading.tabIndex = -1;
  panel.append(heading, element("p", null, text("duplicates-intro")));
  const list = element("ul", "duplicates__list");
  for (const report of reports) {
    const item = element("li", "duplicates__item");
    item.append(element("p", "duplicates__topic", report.category.name));
    item.append(element("p", "duplicates__meta", [
      text(`status-${report.status}`),
      text("reported-on", { date: formatDate(report.created_at, page.language, page.timeZone) }),
      text("distance", { metres: Math.round(report.distance_m) }),
    ].join(" · ")));
    item.append(element("p", "duplicates__description", report.description));
    item.append(followForm(page, report, email));
    list.append(item);
  }
  const anyway = element("button", "button", text("send-anyway"));
  anyway.type = "button";
  anyway.addEventListener("click", () => {
    hideDuplicates();
    onSendAnyway();
  });
  panel.append(list, anyway);
  anchor.after(panel);
  heading.focus();
}

export function hideDuplicates() {
  document.getElementById("duplicates")?.remove();
}
