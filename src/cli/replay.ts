import type { Command } from 'commander';
import { progress, type Io } from './cli-io';
import { CliError, usageError } from './exit-codes';
import { Http } from './http-client';
import { connectionOptions, type Connection } from './commands/options';

interface TimelineItem {
  readonly type: string;
  readonly status: string;
  readonly summary: string;
  readonly occurred: { readonly start: string; readonly precision: string; readonly startLocal?: string };
  readonly claimants: ReadonlyArray<{ readonly actorId: string }>;
  readonly source: { readonly sourceId: string } | null;
  readonly grade?: { readonly code: string | null };
}

interface TimelinePage {
  readonly items: TimelineItem[];
  readonly nextCursor: string | null;
  readonly position?: string | null;
}

/** An instant (ISO 8601 with a zone) or a log position ("42", "42-40"). */
export function untilParam(until: string): string {
  if (/^\d+(-\d+)?$/.test(until)) return `atPosition=${encodeURIComponent(until)}`;
  if (Number.isNaN(Date.parse(until)) || !/(Z|[+-]\d\d:?\d\d)$/i.test(until)) {
    throw usageError(`--until must be a log position or an ISO 8601 instant with a zone (got "${until}")`);
  }
  return `asOf=${encodeURIComponent(until)}`;
}

function line(i: TimelineItem): string {
  const when = (i.occurred.startLocal ?? i.occurred.start).slice(0, 16).replace('T', ' ');
  const who = i.claimants.map((c) => c.actorId).join(',');
  const source = i.source ? `${i.source.sourceId}${i.grade?.code ? ` ${i.grade.code}` : ''}` : '-';
  return `${when}  ${i.type.padEnd(26)} ${i.status.padEnd(12)} ${who.padEnd(28)} ${source.padEnd(16)} ${i.summary.slice(0, 90)}`;
}

interface ReplayOptions extends Connection {
  until: string;
  crisis?: string;
}

/**
 * The timeline as the chronology showed it then (as-of reads: transaction time), streamed page by
 * page: each page is written (and stdout drained) before the next is asked for, so memory stays one
 * page whatever the timeline's length. Text: one line per entry, then a count; --json: one JSON
 * document, {"until", "items": [...], "count"}, written as it goes.
 */
export async function replay(o: ReplayOptions, io: Io): Promise<void> {
  const http = new Http(o.url, o.apiKey);
  const base = `/v1/timeline?limit=200&${untilParam(o.until)}${o.crisis ? `&crisis=${encodeURIComponent(o.crisis)}` : ''}`;
  const bar = progress(io, 'replay', 0, 'entries');
  let count = 0;
  let cursor: string | null = null;
  // The document opens with the first page: an error before it leaves stdout to the error's JSON.
  let head = o.json ? `{"until":${JSON.stringify(o.until)},"items":[` : '';
  try {
    do {
      const page: TimelinePage = await http.getJson<TimelinePage>(
        cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base,
      );
      let chunk = head;
      head = '';
      for (const i of page.items) {
        chunk += o.json ? `${count === 0 ? '\n' : ',\n'}${JSON.stringify(i)}` : `${line(i)}\n`;
        count++;
      }
      io.out(chunk);
      bar.update(count);
      await io.drain?.();
      cursor = page.nextCursor;
    } while (cursor);
  } catch (e) {
    if (o.json && head === '') {
      // Mid-document: close it, saying it is cut short, so that stdout still parses.
      const error = e instanceof CliError ? { kind: e.kind, message: e.message } : { message: String(e) };
      io.out(`\n],"count":${count},"ok":false,"error":${JSON.stringify(error)}}\n`);
      if (e instanceof CliError) e.printed = true;
    }
    throw e;
  } finally {
    bar.stop();
  }
  io.out(o.json ? `\n],"count":${count}}\n` : `timeline until ${o.until}: ${count} entries\n`);
}

export function registerReplay(program: Command, io: Io, env: NodeJS.ProcessEnv): void {
  connectionOptions(
    program
      .command('replay')
      .description(
        'Print the timeline as the chronology showed it at an earlier instant or log position (streamed)',
      )
      .requiredOption('--until <instant|position>', 'an ISO 8601 instant with zone, or a log position')
      .option('--crisis <id>', 'only this crisis'),
    env,
  ).action((o: ReplayOptions) => replay(o, io));
}
