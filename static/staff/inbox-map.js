/*
 * The staff inbox's map: the reports of the page (static/map/embedded-map.js draws them);
 * the table below the map lists the same reports.
 */
import { drawReports, fitTo, readCollection, startMap } from "../map/embedded-map.js";
import { say } from "../map/texts.js";

const started = startMap("inbox-map");
if (started) {
  const { map, data, status } = started;
  const collection = readCollection("inbox-map-points");
  const group = drawReports(map, collection ? collection.features : [], data.openText);
  if (!fitTo(map, group)) {
    say(status, data.noneText);
  }
}
