import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, IsUUID, Length, registerDecorator } from 'class-validator';

export type ExpectedRevisionInput = 'no_stream' | 'any' | 'stream_exists' | number;

function IsExpectedRevision(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isExpectedRevision',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (v: unknown) =>
          v === 'no_stream' ||
          v === 'any' ||
          v === 'stream_exists' ||
          (Number.isSafeInteger(v) && (v as number) >= 0),
        defaultMessage: () =>
          "expectedRevision must be 'no_stream', 'any', 'stream_exists' or a revision number >= 0",
      },
    });
}

/** The envelope of POST /v1/events. */
export class PostEventDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Idempotency key: the same id and body again returns the original result.',
  })
  @IsOptional()
  @IsUUID()
  id?: string;

  @ApiProperty({
    example: 'DiplomatExpelled',
    description: 'One of the event types listed by GET /v1/event-types.',
  })
  @IsString()
  @Length(1, 100)
  type!: string;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', enum: ['no_stream', 'any', 'stream_exists'] },
      { type: 'integer', minimum: 0 },
    ],
  })
  @IsOptional()
  @IsExpectedRevision()
  expectedRevision?: ExpectedRevisionInput;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event type's fields." })
  @IsObject()
  data!: Record<string, unknown>;
}
