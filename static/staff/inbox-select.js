/*
 * "Choose every report of this page" for the inbox's bulk form: a checkbox in the table's
 * heading, shown only when this script runs (without it each row is chosen on its own).
 */
const all = document.getElementById("choose-all");

function rows() {
  return [...document.querySelectorAll("input.choose-report")];
}

function reflectRows() {
  const boxes = rows();
  const chosen = boxes.filter((box) => box.checked).length;
  all.checked = boxes.length > 0 && chosen === boxes.length;
  all.indeterminate = chosen > 0 && chosen < boxes.length;
}

if (all) {
  all.hidden = false;
  all.addEventListener("change", () => {
    for (const box of rows()) {
      box.checked = all.checked;
    }
  });
  for (const box of rows()) {
    box.addEventListener("change", reflectRows);
  }
  reflectRows();
}
