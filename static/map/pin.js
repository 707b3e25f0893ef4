/*
 * The report's pin: tap the map to place it, drag it to move it, or use the phone's
 * location. Its place goes into the form's hidden lon and lat fields and is shown as text
 * (there is no address lookup: it would not work offline, and the pin says enough).
 */
import { say, text } from "./texts.js";

const SHOWN_DECIMALS = 5;   // about a metre
const STORED_DECIMALS = 6;
const LOCATION_TIMEOUT_MS = 15000;
const PIN_ZOOM = 17;

export function createPin(map, form, controls) {
  const { panel, coordinates, locate, centre, remove } = controls;
  let marker = null;
  panel.hidden = false;
  say(coordinates, text("pin-none"));

  function show(latlng) {
    form.elements.lon.value = latlng.lng.toFixed(STORED_DECIMALS);
    form.elements.lat.value = latlng.lat.toFixed(STORED_DECIMALS);
    const place = `${latlng.lat.toFixed(SHOWN_DECIMALS)}, ${latlng.lng.toFixed(SHOWN_DECIMALS)}`;
    say(coordinates, text("pin-at", { place }));
    remove.hidden = false;
  }

  function place(latlng) {
    const wrapped = L.latLng(latlng).wrap();
    if (marker) {
      marker.setLatLng(wrapped);
    } else {
      marker = L.marker(wrapped, { draggable: true, autoPan: true, alt: text("pin-alt"), title: text("pin-alt") })
        .addTo(map);
      marker.on("dragend", () => show(marker.getLatLng().wrap()));
    }
    show(wrapped);
  }

  function clear() {
    if (marker) {
      marker.remove();
      marker = null;
    }
    form.elements.lon.value = "";
    form.elements.lat.value = "";
    remove.hidden = true;
    say(coordinates, text("pin-none"));
  }

  function useMyLocation() {
    if (!("geolocation" in navigator)) {
      say(coordinates, text("location-unavailable"));
      return;
    }
    say(coordinates, text("locating"));
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
        place(latlng);
        map.setView(latlng, Math.max(map.getZoom(), PIN_ZOOM));
      },
      (error) => {
        const refused = error.code === error.PERMISSION_DENIED;
        say(coordinates, text(refused ? "location-refused" : "location-unavailable"));
      },
      { enableHighAccuracy: true, timeout: LOCATION_TIMEOUT_MS, maximumAge: 60000 },
    );
  }

  map.on("click", (event) => place(event.latlng));
  locate.addEventListener("click", useMyLocation);
  centre.addEventListener("click", () => place(map.getCenter()));
  remove.addEventListener("click", clear);

  return {
    /* {lon, lat} of the pin, or null. */
    get() {
      return marker ? { lon: Number(form.elements.lon.value), lat: Number(form.elements.lat.value) } : null;
    },
    set(lon, lat) {
      place(L.latLng(lat, lon));
      map.setView([lat, lon], Math.max(map.getZoom(), PIN_ZOOM));
    },
    clear,
  };
}
