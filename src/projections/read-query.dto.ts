import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Query parameters every GET accepts. */
export class ReadQueryDto {
  @ApiPropertyOptional({
    description: 'Wait (bounded) until this instance has applied this log position (read-your-writes).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 41)
  minPosition?: string;
}

/** "a,b" or repeated parameters -> ["a", "b"]. */
export const CommaList = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    (Array.isArray(value) ? value : [value])
      .flatMap((v) => String(v).split(','))
      .map((v) => v.trim())
      .filter((v) => v.length > 0),
  );

export const BooleanParam = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value,
  );

/** An optional page size, an integer from 1 to `max`; `byDefault` is what the read uses without one. */
export const LimitParam = (max: number, byDefault: number): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: max, default: byDefault }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
  );

/** Reads that can answer as of an earlier moment (transaction time). */
export class AsOfQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({
    description: 'What the chronology said at this instant (ISO 8601 with offset): events recorded by then.',
  })
  @IsOptional()
  @IsString()
  @Length(4, 40)
  asOf?: string;

  @ApiPropertyOptional({ description: 'What the chronology said right after this log position.' })
  @IsOptional()
  @IsString()
  @Length(1, 41)
  atPosition?: string;
}
