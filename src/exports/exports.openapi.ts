import { arr, int, nullable, obj, str, type JsonSchema } from '../http/openapi-schema';

const num = (extra: JsonSchema = {}): JsonSchema => ({ type: 'number', ...extra });

/** The GeoJSON export's body (RFC 7946 FeatureCollection of Points). */
export const GEOJSON_SCHEMA = obj({
  type: str({ enum: ['FeatureCollection'] }),
  features: arr(
    obj({
      type: str({ enum: ['Feature'] }),
      id: str({ description: '`<entryId>/<index of the place in the entry>`.' }),
      geometry: obj({
        type: str({ enum: ['Point'] }),
        coordinates: arr(num(), { minItems: 2, maxItems: 2, description: '[longitude, latitude], WGS 84.' }),
      }),
      properties: obj({
        entryId: str({ format: 'uuid' }),
        type: str(),
        crisisId: str(),
        status: str(),
        summary: str(),
        occurredStart: str({ format: 'date-time' }),
        occurredEnd: str({ format: 'date-time' }),
        occurredPrecision: str(),
        occurredLocal: str(),
        recordedAt: str({ format: 'date-time' }),
        updatedAt: str({ format: 'date-time' }),
        locationIndex: int(),
        locationRole: str({ enum: ['where', 'target', 'origin', 'destination'] }),
        locationName: str(),
        countryCode: nullable(str()),
        claimedBy: nullable(arr(str())),
        geoPrecision: int(),
        claimants: arr(str()),
        grade: str(),
        position: str(),
      }),
    }),
  ),
});

const TIMELINEJS_DATE = obj(
  { year: int() },
  { month: int({ minimum: 1, maximum: 12 }), day: int(), hour: int(), minute: int(), display_date: str() },
);

/** The TimelineJS3 export's body. */
export const TIMELINEJS_SCHEMA = obj({
  events: arr(
    obj(
      {
        start_date: TIMELINEJS_DATE,
        text: obj({ headline: str(), text: str({ description: 'HTML, every value escaped.' }) }),
        group: str({ description: 'The entry type.' }),
        unique_id: str({ format: 'uuid' }),
      },
      { end_date: TIMELINEJS_DATE },
    ),
  ),
});

/** Text formats are documented as strings. */
export const TEXT_SCHEMA = str();
