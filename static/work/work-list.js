/*
 * "Nearest first": the button asks the browser for the phone's position (the browser asks
 * its user) and opens the list again with it (?lat=&lon=), which the server sorts by
 * distance. Without JavaScript, or when the position is refused or unavailable, the list
 * stays in the order of due dates; the button is shown only where it can work.
 */
const DECIMALS = 5;  // about a metre: enough to sort by, no more than needed
const TIMEOUT_MS = 15000;

function say(status, message) {
  if (status) {
    status.textContent = message;  // text, never HTML
  }
}

function openNear(position) {
  const url = new URL(window.location.href);
  url.searchParams.set("lat", position.coords.latitude.toFixed(DECIMALS));
  url.searchParams.set("lon", position.coords.longitude.toFixed(DECIMALS));
  url.searchParams.delete("page");
  url.searchParams.delete("done");
  window.location.assign(url.toString());
}

function start() {
  const button = document.getElementById("work-locate");
  if (!button || !("geolocation" in navigator)) {
    return;
  }
  const status = document.getElementById(button.dataset.statusId);
  button.hidden = false;
  button.addEventListener("click", () => {
    say(status, button.dataset.askingText);
    navigator.geolocation.getCurrentPosition(
      openNear,
      () => say(status, button.dataset.refusedText),
      { enableHighAccuracy: false, timeout: TIMEOUT_MS, maximumAge: 60000 },
    );
  });
}

start();
