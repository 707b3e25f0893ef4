/*
 * The contractor's map of its work orders (static/map/embedded-map.js draws them), and the
 * phone's position when the list was sorted by it. The list below has the same work orders.
 */
import { drawReports, fitTo, isPoint, readCollection, startMap } from "../map/embedded-map.js";
import { say } from "../map/texts.js";

const HERE = { radius: 8, weight: 3, color: "#0b3d6b", fillColor: "#ffdd00", fillOpacity: 1 };
const FINGER_RADIUS = 10;  // a phone's finger needs a larger point than a mouse

function drawHere(data, group) {
  const lon = Number(data.nearLon);
  const lat = Number(data.nearLat);
  if (data.nearLon === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    return;
  }
  L.circleMarker([lat, lon], HERE).bindTooltip(data.nearText).addTo(group);
}

const started = startMap("work-map");
if (started) {
  const { map, data, status } = started;
  const collection = readCollection("work-map-points");
  const features = collection ? collection.features : [];
  const group = drawReports(map, features, data.openText, FINGER_RADIUS);
  drawHere(data, group);
  fitTo(map, group);
  if (!features.some(isPoint)) {
    say(status, data.noneText);
  }
}
