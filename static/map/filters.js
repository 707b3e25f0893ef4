/*
 * The filters of the map and the list: a real form (labels, keyboard, no script needed to
 * read it), shown once the script runs. Its topics come from GET /api/v1/categories, which
 * the service worker keeps for use offline.
 */
import { getJson } from "./http.js";

export function createFilters(form, { categoriesUrl, onChange }) {
  form.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onChange();
  });
  form.addEventListener("change", onChange);

  /* The query parameters of the current choices (an empty choice is left out). */
  function params() {
    const data = new FormData(form);
    const query = new URLSearchParams();
    for (const name of ["category", "state", "days"]) {
      const value = String(data.get(name) || "");
      if (value) {
        query.set(name, value);
      }
    }
    return query;
  }

  /* Topic names by code, and the topic choices rebuilt from the API's answer. */
  async function loadCategories() {
    const answer = await getJson(categoriesUrl);
    const names = new Map(answer.categories.map((category) => [category.code, category.name]));
    const select = form.elements.category;
    const chosen = select.value;
    for (const option of [...select.options].slice(1)) {
      option.remove();
    }
    for (const [code, name] of names) {
      const option = new Option(name, code);  // text, never HTML
      option.selected = code === chosen;
      select.append(option);
    }
    return names;
  }

  return { params, loadCategories };
}
