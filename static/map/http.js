/* fetch() for the JSON API: an answer that is not 2xx JSON is an error with its status. */
export class HttpError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export async function getJson(url, signal) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, signal });
  const body = await response.json().catch(() => null);
  if (!response.ok || body === null) {
    throw new HttpError(response.status, body);
  }
  return body;
}

export async function postJson(url, body, headers = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/* A {template} URL from the page with its {id} filled in. */
export function withId(template, id) {
  return template.replace("{id}", encodeURIComponent(String(id)));
}
