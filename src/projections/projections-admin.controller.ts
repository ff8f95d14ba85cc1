import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READ_RESPONSES } from './openapi.responses';
import { Access } from '../auth/access.guard';
import { formatPosition } from '../event-store';
import { AppError } from '../shared/errors';
import { ProjectionRunner } from './projection-runner';

@ApiTags('admin')
@Controller('v1/admin/projections')
@Access('admin')
export class ProjectionsAdminController {
  constructor(private readonly runner: ProjectionRunner) {}

  @Get()
  @ApiOkResponse({ description: 'The runner and every projection.', schema: READ_RESPONSES.projections })
  @ApiOperation({ summary: 'Every projection with its digest, and where the runner stands.' })
  async list() {
    const { state, position, seq, error } = this.runner.state;
    // One at a time: each takes a read worker for as long as it hashes.
    const digests: string[] = [];
    for (const name of this.runner.names) digests.push(await this.runner.digest(name));
    return {
      state,
      position: position ? formatPosition(position) : null,
      events: seq,
      error,
      items: this.runner.names.map((name, i) => ({ name, digest: digests[i] })),
    };
  }

  @Post(':name/rebuild')
  @ApiOkResponse({ description: 'The digests before and after.', schema: READ_RESPONSES.rebuilt })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Rebuild one projection from the log into a shadow copy, swap it in atomically, and report its digest before and after.',
  })
  async rebuild(@Param('name') name: string) {
    if (!this.runner.names.includes(name)) {
      throw new AppError('not_found', `no projection named ${name}; known: ${this.runner.names.join(', ')}`);
    }
    const started = Date.now();
    const result = await this.runner.rebuild(name);
    return { ...result, identical: result.before === result.after, tookMs: Date.now() - started };
  }
}
