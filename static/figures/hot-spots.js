/*
 * The hot spots' map (templates/figures/hot_spots.html): each hot spot's hull (a polygon, or
 * a line or a point when its reports lie in a row or on one spot) and a marker at its centre,
 * from /staff/hot-spots.geojson with the page's filter. Popups are built from text nodes: no
 * category name becomes HTML, and links go to paths on this site only. The list below the map
 * names the same hot spots, for whoever cannot use a map.
 */
import { fitTo, startMap } from "../map/embedded-map.js";
import { getJson } from "../map/http.js";
import { element, say } from "../map/texts.js";

const HULL = { color: "#b3261e", weight: 3, opacity: 0.9, fillColor: "#b3261e", fillOpacity: 0.2 };
const CENTRE = { radius: 9, weight: 2, color: "#ffffff", fillColor: "#b3261e", fillOpacity: 1 };

function isLocalPath(url) {
  return typeof url === "string" && /^\/(?![/\\])/.test(url);
}

function popup(properties) {
  const box = element("div", "hot-spot-popup");
  box.append(element("p", "hot-spot-popup__label", properties.label));
  const reports = Array.isArray(properties.reports) ? properties.reports : [];
  if (reports.length > 0) {
    const list = element("ul", "hot-spot-popup__reports");
    for (const report of reports.filter((r) => r && isLocalPath(r.url))) {
      const link = element("a", null, report.text);
      link.href = report.url;
      const item = element("li");
      item.append(link);
      list.append(item);
    }
    box.append(list);
  }
  return box;
}

function isLonLat(value) {
  return Array.isArray(value) && value.length === 2 && value.every(Number.isFinite);
}

function draw(map, collection) {
  const group = L.featureGroup().addTo(map);
  for (const feature of collection.features) {
    const properties = feature.properties || {};
    const open = () => popup(properties);
    const options = { minWidth: 200, maxWidth: 300 };
    // A point hull is drawn by its centre marker alone.
    if (feature.geometry && feature.geometry.type !== "Point") {
      L.geoJSON(feature, { style: () => HULL }).bindPopup(open, options).addTo(group);
    }
    if (isLonLat(properties.centre)) {
      const [lon, lat] = properties.centre;
      L.circleMarker([lat, lon], CENTRE).bindPopup(open, options).addTo(group);
    }
  }
  return group;
}

const started = startMap("hot-spots-map");
if (started) {
  const { map, data, status } = started;
  getJson(data.geojsonUrl)
    .then((collection) => {
      const features = collection && Array.isArray(collection.features) ? collection : null;
      const group = draw(map, features || { features: [] });
      if (!fitTo(map, group)) {
        say(status, data.noneText);
      }
      map.getContainer().dataset.drawn = String(group.getLayers().length);
    })
    .catch(() => say(status, data.failedMessage));
}
