/*
 * The admin's zone map: every zone, from the GeoJSON the server embedded in the page
 * (<script type="application/json" id="zones-map-data">, simplified in PostGIS), so the map
 * asks nothing of the network but its tiles. One colour per party, in the server's order
 * (the zone routing prefers is drawn last, on top). Popups are built from text nodes: a
 * zone's or party's name never becomes HTML. The tables below list the same zones.
 */
import { readCollection, startMap } from "../map/embedded-map.js";
import { element, say } from "../map/texts.js";

// Eight colours apart in hue and lightness; each keeps 3:1 against the map as a line.
const PALETTE = ["#0b4f9c", "#b3261e", "#1b7a3a", "#7a3ea1", "#a35200", "#00707a",
  "#8a1f5c", "#4d5b00"];

function style(feature) {
  const index = Number(feature.properties && feature.properties.colour);
  const colour = PALETTE[Number.isInteger(index) ? index % PALETTE.length : 0];
  return { color: colour, weight: 2, opacity: 0.9, fillColor: colour, fillOpacity: 0.15 };
}

function popup(properties) {
  const box = element("div", "zone-popup");
  box.append(element("p", "zone-popup__name", properties.name));
  box.append(element("p", "zone-popup__party", properties.party));
  box.append(element("p", "zone-popup__priority", properties.priority));
  box.append(element("p", "zone-popup__categories", properties.categories));
  return box;
}

const started = startMap("zones-map");
if (started) {
  const { map, data, status } = started;
  const zones = readCollection("zones-map-data");
  if (!zones || zones.features.length === 0) {
    say(status, data.noneText);
  } else {
    const layer = L.geoJSON(zones, {
      style,
      onEachFeature: (feature, shape) => {
        shape.bindPopup(() => popup(feature.properties || {}), { minWidth: 180, maxWidth: 280 });
      },
    }).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [16, 16] });
    }
  }
}
