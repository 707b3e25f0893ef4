/*
 * A prepared file's page: asks the server how far the file is every two seconds and
 * updates the state, the progress bar and its words in place; shows the download link
 * once the file is ready, and reloads the page if it failed (to show the error). Without
 * this script the page has a reload link instead.
 */
const section = document.getElementById("prepared-file");
const POLL_MS = 2000;

function show(status) {
  document.getElementById("prepared-file-state").textContent = status.state_text;
  const bar = document.getElementById("prepared-file-progress");
  bar.value = status.percent;
  bar.textContent = `${status.percent} %`;
  document.getElementById("prepared-file-progress-text").textContent = status.progress_text;
  if (status.download_url) {
    const download = document.getElementById("prepared-file-download");
    download.querySelector("a").href = status.download_url;
    download.hidden = false;
  }
  if (status.finished) {
    document.getElementById("prepared-file-reload").hidden = true;
  }
}

async function poll() {
  try {
    const response = await fetch(section.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.ok) {
      const status = await response.json();
      show(status);
      if (status.state === "failed") {
        window.location.reload();
        return;
      }
      if (status.finished) {
        return;
      }
    }
  } catch {
    // Offline for a moment: ask again later.
  }
  window.setTimeout(poll, POLL_MS);
}

if (section && section.dataset.finished !== "true") {
  document.getElementById("prepared-file-reload").hidden = true;
  window.setTimeout(poll, POLL_MS);
}
