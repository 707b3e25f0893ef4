/*
 * The same reports as a list, for those who cannot or would rather not use the map: each
 * with its topic, status, date, place and description (as text), linked to its public page.
 * It follows the map's view and filters; without a map it lists the whole area.
 */
import { getJson } from "./http.js";
import { element, formatDate, say, text } from "./texts.js";

export function createReportList(page, { list, status, more }) {
  let controller = null;
  let query = new URLSearchParams();
  let nextPage = null;

  function item(report) {
    const entry = element("li", "report-list__item");
    const title = element("p", "report-list__topic");
    const link = element("a", null, page.categoryName(report.category));
    link.href = page.reportPageUrl(report.id);
    title.append(link);
    entry.append(title);
    const date = formatDate(report.created_at, page.language, page.timeZone);
    entry.append(element("p", "report-list__meta",
      `${text(`status-${report.status}`)} · ${text("reported-on", { date })}`));
    entry.append(element("p", "report-list__place", report.address || text("no-address")));
    if (report.description) {
      entry.append(element("p", "report-list__description", report.description));
    }
    return entry;
  }

  async function fetchPage(number) {
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    const signal = controller.signal;
    const params = new URLSearchParams(query);
    params.set("page", String(number));
    try {
      const answer = await getJson(`${page.listUrl}?${params}`, signal);
      const reports = answer.reports || [];
      if (number === 1) {
        list.replaceChildren();
      }
      list.append(...reports.map(item));
      // {page, pages, total, reports}: pages counted from 1.
      nextPage = answer.pages && number < answer.pages ? number + 1 : null;
      more.hidden = nextPage === null;
      const count = answer.total ?? list.children.length;
      say(status, count === 0 ? text("list-empty") : text("list-count", { count }));
    } catch {
      if (!signal.aborted) {
        say(status, text("list-failed"));
      }
    }
  }

  more.addEventListener("click", () => {
    if (nextPage) {
      fetchPage(nextPage);
    }
  });

  /* Lists the reports of `params` (bbox and filters) from their first page. */
  function load(params) {
    query = params;
    return fetchPage(1);
  }

  return { load };
}
