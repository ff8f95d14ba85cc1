import { CliError } from '../exit-codes';
import type { Http } from '../http-client';

/** A POST /v1/events body, with the batch's `ref` when a later item names its entry "@ref". */
export interface EventBody {
  id: string;
  type: string;
  data: Record<string, unknown>;
  ref?: string;
  expectedRevision?: unknown;
}

/** A row the import did not store: its line, the field (a column, or the body's path) and why. */
export interface Rejection {
  readonly line: number;
  readonly field: string;
  readonly reason: string;
  readonly status?: number;
  readonly code?: string;
  readonly eventId?: string;
}

/** The events of one input row, kept in one batch (its refs and registrations travel with it). */
export interface RowEvents {
  readonly line: number;
  readonly events: EventBody[];
}

interface Problem {
  status: number;
  code?: string;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
}
interface Answer {
  index: number;
  status: number;
  entryId?: string;
  position?: string;
  problem?: Problem;
}
interface BatchAnswer {
  stored: number;
  alreadyStored: number;
  failed: number;
  items: Answer[];
}

export interface Tally {
  stored: number;
  alreadyStored: number;
  failed: number;
  batches: number;
  lastPosition: string | null;
}

/** The most items POST /v1/events/batch takes (MAX_BATCH_ITEMS, docs/api-guide.md). */
export const MAX_ITEMS = 1000;

/**
 * Sends rows' events through POST /v1/events/batch in chunks of at most `maxItems` items and
 * `maxBytes` of body (BODY_LIMIT_BYTES is 1 MiB by default; a 413 splits the chunk in two and
 * sends each half), a row's events never split across two chunks. Entry ids answered for a `ref`
 * are remembered, so a later chunk's "@ref" is sent as the entry id. Each failed item becomes a
 * rejection of its row, with the field `fieldOf` names for the problem's path.
 */
export class BatchSender {
  readonly tally: Tally = { stored: 0, alreadyStored: 0, failed: 0, batches: 0, lastPosition: null };
  private rows: RowEvents[] = [];
  private size = 0;
  private bytes = 2;
  private readonly entryOfRef = new Map<string, string>();

  constructor(
    private readonly http: Http,
    private readonly reject: (r: Rejection) => void,
    private readonly fieldOf: (path: string) => string,
    private readonly maxItems = MAX_ITEMS,
    private readonly maxBytes = 900_000,
  ) {}

  async add(row: RowEvents): Promise<void> {
    if (row.events.length === 0) return;
    const bytes = row.events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 1, 0);
    if (this.size + row.events.length > this.maxItems || this.bytes + bytes > this.maxBytes)
      await this.flush();
    this.rows.push(row);
    this.size += row.events.length;
    this.bytes += bytes;
  }

  async flush(): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    this.size = 0;
    this.bytes = 2;
    if (rows.length > 0) await this.send(rows);
  }

  private async send(rows: RowEvents[]): Promise<void> {
    const items: EventBody[] = [];
    const lineOf: number[] = [];
    for (const r of rows) {
      for (const e of r.events) {
        items.push(this.resolved(e));
        lineOf.push(r.line);
      }
    }
    const res = await this.http.postJson<BatchAnswer | Problem>('/v1/events/batch', { items });
    if (res.status === 413 && rows.length > 1) {
      const half = Math.ceil(rows.length / 2);
      await this.send(rows.slice(0, half));
      await this.send(rows.slice(half));
      return;
    }
    if (res.status !== 200) {
      const p = res.body as Problem;
      throw new CliError('server', `POST /v1/events/batch: ${res.status} ${p.detail ?? p.code ?? ''}`, {
        status: res.status,
        problem: p,
      });
    }
    const answer = res.body as BatchAnswer;
    this.tally.batches++;
    this.tally.stored += answer.stored;
    this.tally.alreadyStored += answer.alreadyStored;
    this.tally.failed += answer.failed;
    for (const a of answer.items) {
      const item = items[a.index]!;
      if (a.problem) {
        for (const r of rejectionsOf(a.problem, lineOf[a.index]!, this.fieldOf))
          this.reject({ ...r, eventId: item.id });
        continue;
      }
      if (item.ref && a.entryId) this.entryOfRef.set(item.ref, a.entryId);
      if (
        a.position &&
        (!this.tally.lastPosition || BigInt(a.position.split('-')[0]!) > BigInt(this.tally.lastPosition))
      ) {
        this.tally.lastPosition = a.position.split('-')[0]!;
      }
    }
  }

  /** "@ref" of an entry answered in an earlier chunk, as its entry id. */
  private resolved(e: EventBody): EventBody {
    let data = e.data;
    for (const [k, v] of Object.entries(e.data)) {
      if (typeof v !== 'string' || !v.startsWith('@') || !(k === 'entryId' || k.endsWith('EntryId')))
        continue;
      const entryId = this.entryOfRef.get(v.slice(1));
      if (entryId) data = { ...data, [k]: entryId };
    }
    return data === e.data ? e : { ...e, data };
  }
}

/** One rejection per bad field of a problem document (or one for the whole item). */
export function rejectionsOf(p: Problem, line: number, fieldOf: (path: string) => string): Rejection[] {
  const base = { line, status: p.status, ...(p.code ? { code: p.code } : {}) };
  if (p.errors && p.errors.length > 0) {
    return p.errors.map((e) => ({ ...base, field: fieldOf(e.path), reason: e.message }));
  }
  return [{ ...base, field: fieldOf(''), reason: p.detail ?? p.code ?? `status ${p.status}` }];
}
