/*
 * What is still waiting to be sent, listed under the form with a status line that screen
 * readers hear; sent ones stay listed (with their follow-up link) until the page is left.
 * Sending is tried on page load, when the browser says it is online again, and now and then
 * while something waits (a flaky network does not always say so).
 */
import { forget, sendWaiting, waitingReports } from "./outbox.js";
import { element, formatDate, say, text } from "./texts.js";

const RETRY_INTERVAL_MS = 30000;
const EXCERPT_LENGTH = 80;

export function createOutboxView(page, { section, status, list }) {
  const states = new Map();  // key -> {report, kind, answer}

  function followUpLink(answer) {
    const link = element("a", null, text("outbox-follow-up"));
    const target = new URL(answer.follow_up_url, window.location.href);
    target.searchParams.set("lang", page.language);
    link.href = target.href;
    return link;
  }

  function entry({ report, kind, answer }) {
    const item = element("li", "outbox-list__item");
    const excerpt = report.body.description.length > EXCERPT_LENGTH
      ? `${report.body.description.slice(0, EXCERPT_LENGTH)}…` : report.body.description;
    item.append(element("p", "outbox-list__topic", page.categoryName(report.body.category)));
    item.append(element("p", "outbox-list__description", excerpt));
    item.append(element("p", "outbox-list__date",
      text("outbox-saved", { date: formatDate(new Date(report.createdAt).toISOString(), page.language, page.timeZone) })));
    const state = element("p", "outbox-list__state");
    if (kind === "sent") {
      state.append(text("outbox-sent"), " ", followUpLink(answer));
    } else if (kind === "refused" || report.refused) {
      state.textContent = text("outbox-refused");
      const removeButton = element("button", "button button--secondary", text("outbox-remove"));
      removeButton.type = "button";
      removeButton.addEventListener("click", async () => {
        await forget(report.key);
        states.delete(report.key);
        render();
      });
      item.append(state, removeButton);
      return item;
    } else {
      state.textContent = text(kind === "sending" ? "outbox-sending" : "outbox-waiting");
    }
    item.append(state);
    return item;
  }

  function render() {
    const shown = [...states.values()].sort((a, b) => a.report.createdAt - b.report.createdAt);
    section.hidden = shown.length === 0;
    list.replaceChildren(...shown.map(entry));
    const waiting = shown.filter((item) => item.kind !== "sent").length;
    say(status, waiting ? text("outbox-count", { count: waiting }) : shown.length ? text("outbox-all-sent") : "");
  }

  function note(report, outcome) {
    if (outcome.kind === "gone") {
      states.delete(report.key);
    } else {
      states.set(report.key, { report, kind: outcome.kind, answer: outcome.answer });
    }
    render();
  }

  async function refresh() {
    for (const report of await waitingReports()) {
      if (!states.has(report.key) || states.get(report.key).kind !== "sending") {
        states.set(report.key, { report, kind: report.refused ? "refused" : "waiting" });
      }
    }
    render();
  }

  async function sendNow() {
    await refresh();
    if ([...states.values()].some((item) => item.kind === "waiting")) {
      await sendWaiting(page.urls, note);
    }
  }

  window.addEventListener("online", sendNow);
  window.setInterval(sendNow, RETRY_INTERVAL_MS);
  sendNow();
  return { note, refresh, sendNow };
}
