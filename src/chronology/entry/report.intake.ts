import { AppError, type FieldError } from '../../shared/errors';
import { parseInstant, parseTemporal } from '../../shared/time';
import { toPlain } from '../../shared/validation';
import { streamOf } from '../events/streams';
import { planWith, type CommandPlan, type Reference } from '../command-plan';
import type { AttributionDto, ReportBaseDto } from '../dto/common.dto';
import type { EventType } from '../events/event-type';
import type { Attribution, Location, ReportData } from '../events/event-data';
import type { ReportTypeName } from '../events/report-type-names';
import { entryDecider } from './entry.decider';

type Normalised = 'occurred' | 'reportedAt' | 'attribution' | 'locations' | 'actors';

/** Normalises the common report fields that need more than a shape check; collects every problem. */
export function normaliseReportFields(
  dto: Partial<ReportBaseDto>,
  prefix: string,
  errors: FieldError[],
  defaultClaimant?: string,
): Partial<Pick<ReportData, Normalised>> {
  const out: { -readonly [K in Normalised]?: ReportData[K] } = {};
  if (dto.occurred) {
    const parsed = parseTemporal(dto.occurred, `${prefix}.occurred`);
    errors.push(...parsed.errors);
    if (parsed.value) out.occurred = parsed.value;
  }
  if (dto.reportedAt !== undefined)
    out.reportedAt = parseInstant(dto.reportedAt, `${prefix}.reportedAt`, errors);
  if (dto.attribution)
    out.attribution = normaliseAttribution(dto.attribution, `${prefix}.attribution`, errors);
  if (dto.location !== undefined || dto.locations !== undefined) {
    Object.assign(out, { location: undefined, locations: normaliseLocations(dto, prefix, errors) });
  }
  if (dto.actingChain) {
    const ids = dto.actingChain.map((h) => h.actorId);
    if (new Set(ids).size !== ids.length)
      errors.push({ path: `${prefix}.actingChain`, message: 'an actor appears twice in the acting chain' });
  }
  if (dto.actors) {
    // The acting chain's actors are agents of the report, whether or not `actors` lists them.
    const listed = new Set(dto.actors.map((a) => a.actorId));
    const agents = (dto.actingChain ?? [])
      .filter((h) => !listed.has(h.actorId))
      .map((h) => ({ actorId: h.actorId, role: 'agent' as const }));
    if (agents.length > 0) out.actors = [...dto.actors, ...agents];
    const actors = out.actors ?? dto.actors;
    if (!actors.some((a) => a.role === 'claimant')) {
      if (defaultClaimant !== undefined) {
        out.actors = [...actors, { actorId: defaultClaimant, role: 'claimant' }];
      } else {
        errors.push({
          path: `${prefix}.actors`,
          message:
            "actors must name at least one claimant (who asserts this), unless the report's source has an actor (its affiliatedActorId, or the own actor a source registered without one gets), which then stands as the claimant",
        });
      }
    }
    const seen = new Set<string>();
    dto.actors.forEach((a, i) => {
      const key = `${a.actorId}/${a.role}`;
      if (seen.has(key))
        errors.push({ path: `${prefix}.actors.${i}`, message: `${a.actorId} is listed twice as ${a.role}` });
      seen.add(key);
    });
  }
  return out;
}

/**
 * `location` (one place, where it happened) or `locations` (several, each with a role, `where` by
 * default); each place has a country code, or is disputed between at least two claimants.
 */
function normaliseLocations(dto: Partial<ReportBaseDto>, prefix: string, errors: FieldError[]): Location[] {
  if (dto.location !== undefined && dto.locations !== undefined) {
    errors.push({ path: `${prefix}.location`, message: 'give location or locations, not both' });
    return [];
  }
  const [given, path] =
    dto.locations !== undefined
      ? [dto.locations, `${prefix}.locations`]
      : [[dto.location!], `${prefix}.location`];
  return given.map((l, i) => {
    const at = dto.locations !== undefined ? `${path}.${i}` : path;
    if (l.disputed) {
      if (!l.claimedBy)
        errors.push({
          path: `${at}.claimedBy`,
          message: 'a disputed place names the states claiming it (claimedBy)',
        });
      if (l.countryCode !== undefined)
        errors.push({
          path: `${at}.countryCode`,
          message: "a disputed place takes claimedBy, not one side's countryCode",
        });
    } else {
      if (l.countryCode === undefined)
        errors.push({
          path: `${at}.countryCode`,
          message: 'countryCode is required, unless the place is disputed (disputed: true, claimedBy)',
        });
      if (l.claimedBy !== undefined)
        errors.push({
          path: `${at}.claimedBy`,
          message: 'claimedBy is for a disputed place (disputed: true)',
        });
    }
    return { ...l, role: l.role ?? 'where' };
  });
}

function normaliseAttribution(a: AttributionDto, path: string, errors: FieldError[]): Attribution {
  const publishedAt =
    a.publishedAt === undefined ? undefined : parseInstant(a.publishedAt, `${path}.publishedAt`, errors);
  a.chain?.forEach((hop, i) => {
    const named = [hop.sourceId, hop.actorId].filter((x) => x !== undefined).length;
    if (named > 1 || (named === 0 && !(hop.anonymous && hop.description))) {
      errors.push({
        path: `${path}.chain.${i}`,
        message:
          'a hop is one registered source (sourceId) or actor (actorId), or anonymous with a description',
      });
    }
    if (named === 1 && hop.anonymous) {
      errors.push({
        path: `${path}.chain.${i}.anonymous`,
        message: 'a hop named by its id is not anonymous',
      });
    }
  });
  return { ...a, ...(publishedAt ? { publishedAt } : {}) };
}

/** Every id a report (or a correction of one) refers to. */
export function reportReferences(
  dto: Partial<ReportBaseDto> & Record<string, unknown>,
  prefix: string,
): Reference[] {
  const refs: Reference[] = [];
  if (dto.crisisId) refs.push({ kind: 'crisis', id: dto.crisisId, path: `${prefix}.crisisId` });
  dto.actors?.forEach((a, i) =>
    refs.push({ kind: 'actor', id: a.actorId, path: `${prefix}.actors.${i}.actorId` }),
  );
  dto.actingChain?.forEach((h, i) =>
    refs.push({ kind: 'actor', id: h.actorId, path: `${prefix}.actingChain.${i}.actorId` }),
  );
  if (dto.attribution) {
    refs.push({ kind: 'source', id: dto.attribution.sourceId, path: `${prefix}.attribution.sourceId` });
    dto.attribution.chain?.forEach((hop, i) => {
      const at = `${prefix}.attribution.chain.${i}`;
      if (hop.sourceId) refs.push({ kind: 'source', id: hop.sourceId, path: `${at}.sourceId` });
      if (hop.actorId) refs.push({ kind: 'actor', id: hop.actorId, path: `${at}.actorId` });
    });
  }
  for (const [key, value] of Object.entries(dto)) {
    if (typeof value !== 'string' || key === 'entryId') continue;
    if (key.endsWith('ActorId')) refs.push({ kind: 'actor', id: value, path: `${prefix}.${key}` });
    if (key.endsWith('EntryId')) refs.push({ kind: 'entry', id: value, path: `${prefix}.${key}` });
  }
  return refs;
}

/**
 * Plans a report: a new entry whose id is given (derived from the event id by the caller).
 * `defaultClaimant`: the actor of the report's source, which stands as the claimant when the report
 * names none (an outlet reporting on its own account).
 */
export function planReport(
  type: EventType,
  dto: ReportBaseDto,
  entryId: string,
  defaultClaimant?: string,
): CommandPlan {
  const errors: FieldError[] = [];
  const normalised = normaliseReportFields(dto, 'data', errors, defaultClaimant);
  if (errors.length > 0) throw AppError.validation(errors);
  const codes = type.codes ? type.codes(dto) : { cameo: [] };
  const data = toPlain({ ...dto, ...normalised, entryId, codes }) as unknown as ReportData;
  const name = type.name as ReportTypeName;
  return planWith(
    entryDecider,
    { kind: 'ReportEntry', type: name, data },
    {
      stream: streamOf('entry', entryId),
      candidate: { type: name, data },
      references: reportReferences(dto as ReportBaseDto & Record<string, unknown>, 'data'),
      entryId,
      newStream: true,
    },
  );
}
