import { Controller, Get, Headers, Inject, Param, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Access } from '../auth/access.guard';
import { arr, bool, instant, int, nullable, obj, position, str } from '../http/openapi-schema';
import { isKeyEventType } from '../auth/access.model';
import { EVENT_STORE, type EventStore } from '../event-store';
import { RequireCaughtUp } from '../projections/caught-up.guard';
import { AppError } from '../shared/errors';
import { Valid } from '../shared/validation';
import { exportLines } from './audit-export';
import { redactData, type ExportLine } from './audit-leaf';
import { AuditService } from './audit.service';
import { AuditWatch } from './audit-watch';

class SizeQueryDto {
  @ApiPropertyOptional({ description: 'Tree size of a signed checkpoint; default: the latest.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  treeSize?: number;
}

class ConsistencyQueryDto {
  @ApiProperty({ description: 'Tree size of the older signed checkpoint.', minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from!: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) to?: number;
}

const HASH = str({ format: 'byte', description: 'SHA-256, base64.' });
const CHECKPOINT = obj({ size: int(), rootHash: HASH, signedAt: instant() });

@ApiTags('audit')
@Controller('v1/audit')
@Access('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly watch: AuditWatch,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('checkpoint')
  @Access('read')
  @ApiOperation({
    summary: 'The latest signed checkpoint (C2SP signed note); text/plain gives the note alone.',
  })
  @ApiProduces('application/json', 'text/plain')
  @ApiOkResponse({
    description: 'The checkpoint, or (text/plain) its signed note alone.',
    content: {
      'application/json': {
        schema: obj({
          size: int(),
          rootHash: HASH,
          signedAt: instant(),
          note: str({ description: 'The C2SP signed note.' }),
          publicKey: str(),
        }),
      },
      'text/plain': { schema: str() },
    },
  })
  async checkpoint(
    @Query(new Valid(SizeQueryDto)) query: SizeQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const c = await this.audit.checkpointAt(query.treeSize);
    if (accept?.includes('text/plain') && !accept.includes('application/json')) {
      void reply.type('text/plain; charset=utf-8').send(c.note);
      return;
    }
    void reply.send({
      size: c.size,
      rootHash: c.rootHash.toString('base64'),
      signedAt: c.signedAt,
      note: c.note,
      publicKey: this.audit.publicKey,
    });
  }

  @Get('checkpoints')
  @Access('read')
  @ApiOperation({ summary: 'Every checkpoint signed so far (sizes and roots), oldest first.' })
  @ApiOkResponse({ description: 'Every checkpoint.', schema: obj({ items: arr(CHECKPOINT) }) })
  async checkpoints() {
    const all = await this.audit.allCheckpoints();
    return {
      items: all.map((c) => ({
        size: c.size,
        rootHash: c.rootHash.toString('base64'),
        signedAt: c.signedAt,
      })),
    };
  }

  @Get('public-key')
  @Access('read')
  @ApiOperation({ summary: 'The verifier key of the checkpoint signer (note format: name+id+key).' })
  @ApiOkResponse({ description: 'The verifier key.', schema: obj({ publicKey: str() }) })
  publicKey() {
    return { publicKey: this.audit.publicKey };
  }

  @Get('proof/:eventId')
  @UseGuards(RequireCaughtUp)
  @Access('read')
  @ApiOperation({ summary: "Inclusion proof of an event in a signed checkpoint's tree (RFC 9162)." })
  @ApiOkResponse({
    description: 'The proof, with the checkpoint it is for.',
    schema: obj({
      eventId: str(),
      leafIndex: int(),
      position: position(),
      leafHash: HASH,
      treeSize: int(),
      rootHash: HASH,
      proof: arr(HASH),
      checkpoint: str({ description: 'The signed note of the checkpoint.' }),
    }),
  })
  proof(@Param('eventId') eventId: string, @Query(new Valid(SizeQueryDto)) query: SizeQueryDto) {
    return this.audit.inclusion(eventId, query.treeSize);
  }

  @Get('consistency')
  @UseGuards(RequireCaughtUp)
  @Access('read')
  @ApiOperation({ summary: 'Consistency proof between two signed checkpoints (RFC 9162).' })
  @ApiOkResponse({
    description: 'The proof.',
    schema: obj({ from: int(), to: int(), fromRoot: HASH, toRoot: HASH, proof: arr(HASH) }),
  })
  consistency(@Query(new Valid(ConsistencyQueryDto)) query: ConsistencyQueryDto) {
    return this.audit.consistency(query.from, query.to);
  }

  @Get('log')
  @UseGuards(RequireCaughtUp)
  @ApiOperation({
    summary:
      "NDJSON export: every event with the leaf recorded for it, up to the latest checkpoint; API key events carry their data's SHA-256 instead of the data.",
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description:
      'One JSON object per line: the leaf (index, hash, recorded position) and its event (docs/audit-format.md). The tree size is in the x-tree-size header.',
    content: { 'application/x-ndjson': { schema: str() } },
  })
  async log(@Query(new Valid(SizeQueryDto)) query: SizeQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const size = (await this.audit.provableAt(query.treeSize)).size;
    const lines = exportLines(this.store, this.audit.tree, size);
    const body = Readable.from(
      (async function* () {
        for await (const line of lines) yield `${JSON.stringify(withoutKeyMaterial(line))}\n`;
      })(),
    );
    void reply.type('application/x-ndjson').header('x-tree-size', String(size)).send(body);
  }

  @Get('verify')
  @UseGuards(RequireCaughtUp)
  @ApiOperation({
    summary:
      'Re-reads the whole log (in a worker thread) and checks every event against its leaf and every signed checkpoint; names the first bad position. 409 when the log does not verify or its checkpoint history is missing.',
  })
  @ApiConflictResponse({
    description:
      'The log does not verify (problem+json, code `log_altered`, with the report’s members), or its checkpoint history is missing.',
  })
  @ApiOkResponse({
    description: 'The report of a log that verifies.',
    schema: obj({
      ok: bool(),
      checked: int(),
      redacted: int(),
      rootHash: nullable(HASH),
      checkpoints: arr(obj({ size: int(), matches: bool() })),
      firstBad: nullable(obj({})),
      treeProblem: nullable(str()),
      treeSize: int(),
      signer: str(),
    }),
  })
  async verify() {
    const report = await this.watch.verifyFull();
    if (!report) throw new AppError('store_unavailable', 'the service is stopping');
    const body = { ...report, signer: this.audit.problem ?? 'consistent' };
    const problem =
      report.treeProblem ??
      (report.firstBad
        ? `first bad position ${report.firstBad.position}: ${report.firstBad.problem}`
        : this.audit.problem);
    if (problem) throw new AppError('log_altered', problem, body);
    return body;
  }
}

/** An API key event's payload is key material: the export gives its hash, which the leaf commits to. */
function withoutKeyMaterial(line: ExportLine): ExportLine {
  return line.event && isKeyEventType(line.event.type) ? { ...line, event: redactData(line.event) } : line;
}
