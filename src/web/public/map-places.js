import { project } from './map-geo.js';

// Which entries go where on the map: every place of an entry that has coordinates is a marker, and
// the entries at one point (to about a hundred metres) share one marker with their count.

function hasCoordinates(place) {
  return Number.isFinite(place?.lat) && Number.isFinite(place?.lon);
}

/** The point key of a place: coordinates rounded to three decimals (about 100 m). */
function pointKey(place) {
  return `${place.lat.toFixed(3)},${place.lon.toFixed(3)}`;
}

/**
 * The items grouped by point. Each group: `{ key, lat, lon, world: [x, y], names, members }`, a
 * member being `{ item, roles }` (an entry naming one point twice, as origin and destination, is
 * one member with both roles). `markers` counts members over all groups; `unlocated` counts the
 * entries with no place that has coordinates, `named` those of them that still name a place.
 */
export function placesOf(items) {
  const groups = new Map();
  let unlocated = 0;
  let named = 0;
  let markers = 0;
  for (const item of items) {
    const places = (item.locations ?? []).filter(hasCoordinates);
    if (places.length === 0) {
      unlocated++;
      if (item.locations?.length) named++;
      continue;
    }
    const here = new Map();
    for (const place of places) {
      const key = pointKey(place);
      if (!groups.has(key))
        groups.set(key, {
          key,
          lat: place.lat,
          lon: place.lon,
          world: project(place.lon, place.lat),
          names: [],
          members: [],
        });
      const group = groups.get(key);
      if (place.name && !group.names.includes(place.name)) group.names.push(place.name);
      if (!here.has(key)) {
        here.set(key, { item, roles: [] });
        group.members.push(here.get(key));
        markers++;
      }
      const roles = here.get(key).roles;
      if (place.role && !roles.includes(place.role)) roles.push(place.role);
    }
  }
  // Southern points are drawn last, so that they overlap their northern neighbours (as in a
  // perspective from the south), and a group stays above the singles at its own point.
  const sorted = [...groups.values()].sort((a, b) => b.lat - a.lat || a.members.length - b.members.length);
  return { groups: sorted, markers, unlocated, named };
}

/** How many members of a group have each status, in the order of `statuses`. */
export function statusCounts(group, statuses) {
  const counts = new Map(statuses.map((s) => [s, 0]));
  for (const { item } of group.members) counts.set(item.status, (counts.get(item.status) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 0);
}
