import { feature } from '/web/vendor/topojson-client/index.js';

// The map's geometry: Web Mercator on the unit square (x from 0 at 180°W to 1 at 180°E, y from 0
// at 85.05°N to 1 at 85.05°S), country outlines as SVG path data, and views fitted to points.

const MAX_LAT = 85.05112878; // where Web Mercator's unit square ends
/** Path data is written in world units times this, so that two decimals keep the outlines exact. */
export const OUTLINE_SCALE = 1000;

/** [x, y] on the unit square for a longitude and latitude in degrees. */
export function project(lon, lat) {
  const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  return [(lon + 180) / 360, (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2];
}

/**
 * A ring's longitudes made continuous: a ring that crosses the antimeridian (Russia's, Fiji's) jumps
 * between +180 and -180 in the data; shifting what follows a jump by 360° keeps it one shape.
 */
function unwrap(ring) {
  let shift = 0;
  let previous = ring[0][0];
  return ring.map(([lon, lat]) => {
    if (lon - previous > 180) shift -= 360;
    else if (previous - lon > 180) shift += 360;
    previous = lon;
    return [lon + shift, lat];
  });
}

function ringPath(ring) {
  let d = '';
  for (let i = 0; i < ring.length; i++) {
    const [x, y] = project(ring[i][0], ring[i][1]);
    d += `${i === 0 ? 'M' : 'L'}${(x * OUTLINE_SCALE).toFixed(2)} ${(y * OUTLINE_SCALE).toFixed(2)}`;
  }
  return `${d}Z`;
}

/** SVG path data of one country: each ring once, and again a world away when it runs past ±180°. */
function countryPath(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let d = '';
  for (const polygon of polygons)
    for (const raw of polygon) {
      const ring = unwrap(raw);
      d += ringPath(ring);
      const lons = ring.map((p) => p[0]);
      if (Math.max(...lons) > 180) d += ringPath(ring.map(([lon, lat]) => [lon - 360, lat]));
      if (Math.min(...lons) < -180) d += ringPath(ring.map(([lon, lat]) => [lon + 360, lat]));
    }
  return d;
}

let outlines = null;

/** The countries of world-atlas (TopoJSON) as `{ name, d }`, read once and kept. */
export function countryOutlines() {
  outlines ??= fetch('/web/vendor/world-atlas/countries-110m.json')
    .then((response) => {
      if (!response.ok) throw new Error(`country outlines: ${response.status}`);
      return response.json();
    })
    .then((topology) =>
      feature(topology, topology.objects.countries)
        .features.filter((f) => f.geometry)
        .map((f) => ({ name: f.properties?.name ?? '', d: countryPath(f.geometry) })),
    )
    .catch((error) => {
      outlines = null; // a later render asks again
      throw error;
    });
  return outlines;
}

// Zoom limits, in pixels per world unit relative to the stage's width: from the whole world to
// about a city's surroundings (the outlines are coarse by then, but nearby markers separate).
const MIN_ZOOM = 0.5;
const MAX_ZOOM = 2048;
// A fitted view spans at least this much of the world (6° of longitude), so that one place or a
// few close together are shown with their surroundings rather than blown up to the whole stage.
const MIN_SPAN = 6 / 360;
const PADDING_PX = 40;

export function clampView(view, width) {
  const k = Math.max(width * MIN_ZOOM, Math.min(width * MAX_ZOOM, view.k));
  return { k, x: Math.max(0, Math.min(1, view.x)), y: Math.max(0, Math.min(1, view.y)) };
}

/**
 * The view (`k` pixels per world unit, centred on world point `x`, `y`) that shows every point
 * with some room around it on a stage of `width` × `height` pixels; the whole world when there is
 * no point.
 */
export function fitView(points, width, height) {
  if (points.length === 0) return clampView({ k: width, x: 0.5, y: 0.45 }, width);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const spanX = Math.max((maxX - minX) * 1.1, MIN_SPAN);
  const spanY = Math.max((maxY - minY) * 1.1, MIN_SPAN);
  const k = Math.min(
    Math.max(width - 2 * PADDING_PX, 1) / spanX,
    Math.max(height - 2 * PADDING_PX, 1) / spanY,
  );
  return clampView({ k, x: (minX + maxX) / 2, y: (minY + maxY) / 2 }, width);
}

/** Where world point [x, y] falls on the stage, in pixels from its top left corner. */
export function toScreen(view, width, height, [x, y]) {
  return [(x - view.x) * view.k + width / 2, (y - view.y) * view.k + height / 2];
}

/** The view zoomed by `factor` about stage pixel [px, py] (that point stays where it is). */
export function zoomAt(view, factor, width, height, [px, py]) {
  const k = clampView({ ...view, k: view.k * factor }, width).k;
  const wx = view.x + (px - width / 2) / view.k;
  const wy = view.y + (py - height / 2) / view.k;
  return clampView({ k, x: wx - (px - width / 2) / k, y: wy - (py - height / 2) / k }, width);
}
