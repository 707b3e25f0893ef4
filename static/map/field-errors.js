/*
 * An error beside its field, as the server's form shows it: a .field-error paragraph
 * before the field (after a fieldset's legend), the field marked aria-invalid and
 * described by it. Used by the report form and by its photo field.
 */
import { element } from "./texts.js";

function unmark(node) {
  node.removeAttribute("aria-invalid");
  const ids = (node.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.endsWith("-error"));
  if (ids.length) {
    node.setAttribute("aria-describedby", ids.join(" "));
  } else {
    node.removeAttribute("aria-describedby");
  }
}

/* Every error of the form, with the summary above it. */
export function clearErrors(form) {
  document.getElementById("report-error-summary")?.remove();
  for (const node of form.querySelectorAll(".field-error")) {
    node.remove();
  }
  for (const node of form.querySelectorAll('[aria-invalid="true"]')) {
    unmark(node);
  }
}

function targetOf(form, field) {
  const target = document.getElementById(`field-${field}`) || form.elements[field];
  return target instanceof Element ? target : null;
}

/* The error of one field; the summary stays. */
export function clearFieldError(form, field) {
  document.getElementById(`${field}-error`)?.remove();
  const target = targetOf(form, field);
  if (target) {
    unmark(target);
  }
}

/* Shows `message` beside the field; false when the page has no such field. */
export function markField(form, field, message) {
  const target = targetOf(form, field);
  if (!target) {
    return false;
  }
  clearFieldError(form, field);
  const note = element("p", "field-error", message);
  note.id = `${field}-error`;
  if (target.tagName === "FIELDSET") {
    target.querySelector("legend").after(note);
  } else {
    target.before(note);
  }
  target.setAttribute("aria-invalid", "true");
  const ids = (target.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  target.setAttribute("aria-describedby", [...ids, note.id].join(" "));
  return true;
}
