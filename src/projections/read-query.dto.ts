import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';

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
