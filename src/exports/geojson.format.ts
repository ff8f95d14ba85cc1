import type { TimelineItem } from '../projections/timeline/timeline.presenter';
import { JsonArrayPart, type ExportFormat } from './export-format';

/** A GeoJSON Point Feature (RFC 7946, 3.2): one place of one entry. */
export interface PlaceFeature {
  readonly type: 'Feature';
  readonly id: string;
  readonly geometry: { readonly type: 'Point'; readonly coordinates: [number, number] };
  readonly properties: Record<string, unknown>;
}

/**
 * One Point Feature per place of the entry that has coordinates (an entry naming three located
 * places gives three features, each with its `locationRole`); entries with none give none.
 * Coordinates are [longitude, latitude] (RFC 7946, 3.1.1), WGS 84.
 */
export function featuresOf(item: TimelineItem): PlaceFeature[] {
  const out: PlaceFeature[] = [];
  (item.locations ?? []).forEach((place, index) => {
    if (typeof place.lat !== 'number' || typeof place.lon !== 'number') return;
    out.push({
      type: 'Feature',
      id: `${item.entryId}/${index}`,
      geometry: { type: 'Point', coordinates: [place.lon, place.lat] },
      properties: {
        entryId: item.entryId,
        type: item.type,
        crisisId: item.crisisId,
        status: item.status,
        summary: item.summary,
        occurredStart: item.occurred.start,
        occurredEnd: item.occurred.end,
        occurredPrecision: item.occurred.precision,
        occurredLocal: item.occurred.startLocal,
        recordedAt: item.recordedAt,
        updatedAt: item.updatedAt,
        locationIndex: index,
        locationRole: place.role,
        locationName: place.name,
        countryCode: place.countryCode ?? null,
        claimedBy: place.claimedBy ?? null,
        geoPrecision: place.geoPrecision,
        claimants: item.claimants.map((c) => c.name ?? c.actorId),
        grade: item.grade.chain?.code ?? item.grade.code,
        position: item.position,
      },
    });
  });
  return out;
}

export const GEOJSON: ExportFormat = {
  name: 'geojson',
  contentType: 'application/geo+json',
  extension: 'geojson',
  description:
    'An RFC 7946 FeatureCollection: one Point Feature per located place of each entry, with the place role.',
  writer: () => {
    const features = new JsonArrayPart();
    return {
      head: () => '{"type":"FeatureCollection","features":[',
      page: (items) => features.members(items.flatMap(featuresOf)),
      tail: () => '\n]}\n',
    };
  },
};
