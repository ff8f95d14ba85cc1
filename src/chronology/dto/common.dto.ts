import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsISO31661Alpha2,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { PRECISIONS, type Precision } from '../../shared/time';
import {
  ACTING_AS,
  ACTOR_ROLES,
  HEDGES,
  LOCATION_ROLES,
  QUANTITY_KINDS,
  type ActingAs,
  type ActorRole,
  type Hedge,
  type LocationRole,
  type QuantityKind,
} from '../events/vocabulary';

/** Actor, source and crisis ids: lowercase slugs such as `russia` or `ukraine-mod`. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MESSAGE = '$property must be a lowercase slug (letters, digits and single hyphens)';

export const IsSlug = (): PropertyDecorator => Matches(SLUG, { message: SLUG_MESSAGE });
export const IsSlugList = (): PropertyDecorator => Matches(SLUG, { each: true, message: SLUG_MESSAGE });

function apply(target: object, key: string | symbol, decorators: PropertyDecorator[]): void {
  for (const d of decorators) d(target, key);
}
/** A non-empty string of at most `max` characters. */
export function Text(max: number): PropertyDecorator {
  return (target, key) => apply(target, key, [IsString(), Length(1, max)]);
}

export class OccurredDto {
  @IsString() @Length(4, 40) start!: string;
  @IsOptional() @IsString() @Length(4, 40) end?: string;
  @IsOptional() @IsIn(PRECISIONS) precision?: Precision;
  @IsOptional() @IsBoolean() approximate?: boolean;
  @IsOptional() @IsString() @Length(1, 64) timezone?: string;
}

/**
 * A place: `countryCode`, or for a place under dispute `disputed: true` and the states claiming it
 * (`claimedBy`), never one side's code alone.
 */
export class LocationDto {
  @Text(200) name!: string;
  /** What the place is to the report (default: where it happened). */
  @IsOptional() @IsIn(LOCATION_ROLES) role?: LocationRole;
  @IsOptional() @IsISO31661Alpha2() countryCode?: string;
  @IsOptional() @IsBoolean() disputed?: boolean;
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @IsISO31661Alpha2({ each: true })
  claimedBy?: string[];
  @IsOptional() @Text(200) admin1?: string;
  @IsOptional() @IsNumber() @Min(-90) @Max(90) lat?: number;
  @IsOptional() @IsNumber() @Min(-180) @Max(180) lon?: number;
  /** 1: exact place, 2: near the place (town), 3: region. */
  @IsIn([1, 2, 3]) geoPrecision!: 1 | 2 | 3;
}

export class ActorRefDto {
  @IsSlug() actorId!: string;
  @IsIn(ACTOR_ROLES) role!: ActorRole;
}

/** A hop of the chain: a registered source or actor, or an unnamed someone described. */
export class AttributionHopDto {
  @IsOptional() @IsSlug() sourceId?: string;
  @IsOptional() @IsSlug() actorId?: string;
  /** Who, as the report describes them ("a senior Western official"). */
  @IsOptional() @Text(200) description?: string;
  /** The report does not name them. */
  @IsOptional() @IsBoolean() anonymous?: boolean;
  @IsOptional() @IsIn(HEDGES) hedge?: Hedge;
}

export class ActingHopDto {
  @IsSlug() actorId!: string;
  @IsOptional() @IsIn(ACTING_AS) as?: ActingAs;
}

export class AttributionDto {
  @IsSlug() sourceId!: string;
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  url?: string;
  @IsOptional() @IsString() @Length(4, 40) publishedAt?: string;
  /** The chain a claim travelled, nearest the origin first: "unnamed diplomat", "RIA Novosti". */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  via?: string[];
  /** The hops before `sourceId`, the origin first: "an unnamed official" -> a news agency. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AttributionHopDto)
  chain?: AttributionHopDto[];
}

/** Checks low <= best <= high on the object that holds the decorated property. */
function OrderedRange(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'orderedRange',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate(_: unknown, args: ValidationArguments): boolean {
          const q = args.object as QuantityDto;
          if (typeof q.low !== 'number' || typeof q.high !== 'number') return true;
          if (q.low > q.high) return false;
          return q.best === undefined || typeof q.best !== 'number' || (q.low <= q.best && q.best <= q.high);
        },
        defaultMessage(args: ValidationArguments): string {
          const q = args.object as QuantityDto;
          return `quantities must satisfy low <= best <= high (low ${q.low}, best ${q.best ?? '-'}, high ${q.high})`;
        },
      },
    });
}

export class QuantityDto {
  @IsIn(QUANTITY_KINDS) kind!: QuantityKind;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) low!: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) best?: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @OrderedRange() high!: number;
  @IsOptional() @Text(40) unit?: string;
  /** The words of the source: "between 150,000 and 170,000". */
  @Text(200) asReported!: string;
}

/** Fields every report carries (domain.md, "Fields common to every report"). */
export class ReportBaseDto {
  @IsSlug() crisisId!: string;
  @Text(1000) summary!: string;
  @IsOptional() @Text(4000) quote?: string;
  @IsDefined() @ValidateNested() @Type(() => OccurredDto) occurred!: OccurredDto;
  @IsOptional() @IsString() @Length(4, 40) reportedAt?: string;
  /** One place (where it happened); `locations` names several, each with its role. */
  @IsOptional() @ValidateNested() @Type(() => LocationDto) location?: LocationDto;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => LocationDto)
  locations?: LocationDto[];
  /** Who did what; with no claimant, the source's actor (its affiliatedActorId, else its own actor) is the claimant. */
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ActorRefDto)
  actors!: ActorRefDto[];
  /** Who acted through whom, the principal first; its actors are agents of the report. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ActingHopDto)
  actingChain?: ActingHopDto[];
  @IsDefined() @ValidateNested() @Type(() => AttributionDto) attribution!: AttributionDto;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => QuantityDto)
  quantities?: QuantityDto[];
}

/** An array of at most `max` non-empty strings of at most `length` characters (and at least `min` items). */
export function List(max: number, length = 200, min = 0): PropertyDecorator {
  const rules = [IsArray(), ArrayMaxSize(max), IsString({ each: true }), Length(1, length, { each: true })];
  return (target, key) => apply(target, key, min > 0 ? [...rules, ArrayMinSize(min)] : rules);
}
