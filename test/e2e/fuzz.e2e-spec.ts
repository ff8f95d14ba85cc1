import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparePositions, parsePosition } from '../../src/event-store';
import { ReadConsistency } from '../../src/projections/read-consistency';
import { ERROR_CODES } from '../../src/shared/errors';
import { REGISTRY, REPORTS } from '../fixtures/chronology.fixtures';
import { concretePath, operationsOf, queryString, type Known, type Operation } from './fuzz-arbitraries';
import { exampleOf, mutated, rawJunk, retimed, serialise } from './fuzz-bodies';
import { ADMIN_KEY, TestApp, waitUntil } from './harness';

/**
 * Property-based fuzzing (fast-check) of every route the OpenAPI document lists: GETs with random
 * path and query parameters, writes with real bodies bent at random and with junk, as an admin, a
 * contributor, a reader, with a wrong key and with none. Whatever arrives: never a 5xx, every 4xx
 * a well-formed problem+json whose type, title and status agree with its code, and a refused write
 * leaves the log (its head) and the timeline exactly as they were.
 *
 * No fixed seed: fast-check picks one per run and prints it with the counterexample on a failure;
 * replay with `fc.assert(..., { seed, path })` (see FUZZ_SEED below).
 */

/** Runs per operation; FUZZ_RUNS scales them for a longer local session (e.g. FUZZ_RUNS=10). */
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
/**
 * To replay a failure fast-check reported for one operation: FUZZ_ONLY='POST /v1/events'
 * FUZZ_SEED=<seed> FUZZ_PATH=<path> (the path is optional; it jumps straight to the shrunk case).
 */
const replay = process.env.FUZZ_SEED
  ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH }
  : {};
const only = process.env.FUZZ_ONLY;

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const SAMPLE = JSON.parse(readFileSync(join(__dirname, '../../sample/chronology.json'), 'utf8')) as {
  events: Array<{ ref?: string; type: string; data: Record<string, unknown> }>;
};

describe('fuzzing every route (fast-check, real HTTP, sample chronology)', () => {
  let t: TestApp;
  let document: any;
  let ops: Operation[];
  let known: Known;
  let validProblem: ValidateFunction;
  /** The documented schema of an operation's JSON answer with a status, if it has one. */
  let documented: (op: Operation, status: number) => ValidateFunction | null;
  let keys: Record<'reader' | 'contributor', string>;
  /** Operations exercised, with the statuses they answered. */
  const seen = new Map<string, Map<number, number>>();
  /** Which time rules refused something (FUZZ_VERBOSE prints it): the generators reach them. */
  const reached = new Map<string, number>();
  /** Milliseconds each operation's fuzzing took (FUZZ_VERBOSE prints them). */
  const took = new Map<string, number>();

  beforeAll(async () => {
    // A short bounded wait: a minPosition past the head is a 503 not_caught_up after it.
    t = await TestApp.start({ LOAD_SAMPLE: 'true', READ_WAIT_TIMEOUT_MS: '100' });
    document = (await t.get('/openapi.json', { key: null })).body;
    ops = operationsOf(document);
    const ajv = new Ajv({ strict: false, validateSchema: false });
    ajv.addSchema({ ...document, $id: 'openapi' });
    addFormats(ajv);
    validProblem = ajv.compile({ $ref: 'openapi#/components/schemas/Problem' });
    const compiled = new Map<string, ValidateFunction | null>();
    const pointer = (...parts: string[]) =>
      parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
    documented = (op, status) => {
      const key = `${op.method} ${op.path} ${status}`;
      if (!compiled.has(key)) {
        const method = op.method.toLowerCase();
        const content = document.paths[op.path]?.[method]?.responses?.[status]?.content;
        compiled.set(
          key,
          content?.['application/json']?.schema
            ? ajv.compile({
                $ref: `openapi#/${pointer('paths', op.path, method, 'responses', String(status), 'content', 'application/json', 'schema')}`,
              })
            : null,
        );
      }
      return compiled.get(key)!;
    };

    // The fixtures' crisis and sources beside the sample's (some already exist: those are refused).
    for (const e of REGISTRY) await t.post('/v1/events', { type: e.type, data: e.data });
    const issue = async (role: string) =>
      (await t.post('/v1/admin/keys', { name: `fuzz ${role}`, role })).body;
    keys = { reader: (await issue('reader')).key, contributor: (await issue('contributor')).key };
    // Keys only the fuzzing of DELETE /v1/admin/keys/{keyId} may revoke.
    const victims = [await issue('reader'), await issue('editor')];

    // A measure, so that the measure routes have one to find.
    const crisisId = SAMPLE.events[0]!.data.crisisId;
    await t.append('MeasureRegistered', {
      measureId: 'fuzz-ban',
      crisisId,
      kind: 'travel-ban',
      name: 'a ban',
      byActorIds: ['united-kingdom'],
      targetActorIds: ['russia'],
    });
    const timeline = (await t.get(`/v1/timeline?limit=200&minPosition=${await t.head()}`)).body
      .items as any[];
    const auditLog = (await t.get('/v1/audit/log')).text.split('\n').filter(Boolean);
    const ids = async (url: string, field: string) =>
      ((await t.get(url)).body.items as any[]).map((i) => String(i[field]));
    known = {
      entryIds: timeline.map((i) => i.entryId),
      actorIds: await ids('/v1/actors?limit=500', 'actorId'),
      sourceIds: await ids('/v1/sources', 'sourceId'),
      measureIds: await ids('/v1/measures', 'measureId'),
      crisisIds: await ids('/v1/crises', 'crisisId'),
      eventIds: auditLog.map((l) => JSON.parse(l).event.id as string),
      eventTypes: await ids('/v1/event-types', 'type'),
      projections: (await t.get('/v1/admin/projections')).body.items.map((p: any) => p.name),
      keyIds: victims.map((k) => k.keyId),
      cursors: [
        (await t.get('/v1/timeline?limit=2')).body.nextCursor,
        (await t.get('/v1/actors?limit=2')).body.nextCursor,
      ].filter((c): c is string => typeof c === 'string'),
      treeSizes: ((await t.get('/v1/audit/checkpoints')).body.items as any[]).map((c) => c.size as number),
      head: Number(await t.head()),
    };
  }, 120_000 * SCALE);
  afterAll(async () => {
    if (process.env.FUZZ_VERBOSE)
      console.log(
        [...seen, ['time rules refused', reached] as const]
          .map(([op, s]) => `${op}: ${JSON.stringify(Object.fromEntries(s))} ${took.get(op) ?? ''}`)
          .join('\n'),
      );
    await t?.close();
  });

  // -------------------------------------------------------------------------------------------
  // Sending and checking

  const principals = () =>
    fc.oneof(
      { arbitrary: fc.constant(`Bearer ${ADMIN_KEY}`), weight: 10 },
      { arbitrary: fc.constant(`Bearer ${keys.contributor}`), weight: 2 },
      { arbitrary: fc.constant(`Bearer ${keys.reader}`), weight: 2 },
      { arbitrary: fc.constant(null), weight: 1 },
      {
        arbitrary: fc.constantFrom(
          'Bearer wrong-key-0000000000000000',
          `Bearer ${ADMIN_KEY}x`,
          `bearer ${ADMIN_KEY}`,
          'Bearer',
          'Basic YWRtaW46YWRtaW4=',
          `Bearer ${'k'.repeat(2_000)}`,
        ),
        weight: 1,
      },
    );

  async function send(request: Sent): Promise<Answer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      const res = await fetch(`${t.url}${request.url}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        redirect: 'manual',
      });
      const contentType = res.headers.get('content-type') ?? '';
      if (contentType.startsWith('text/event-stream')) {
        // A live feed that opened: it never ends, so hang up.
        await res.body?.cancel();
        return { status: res.status, contentType, text: '' };
      }
      return { status: res.status, contentType, text: await res.text() };
    } catch (e) {
      // fetch says only "fetch failed": name the socket's own error.
      const cause = (e as Error).cause as { code?: string; message?: string } | undefined;
      throw new Error(
        `no answer: ${(e as Error).message} (${cause?.code ?? ''} ${cause?.message ?? ''})\n${describeRequest(request)}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  function describeRequest(r: Sent): string {
    const body = r.body === undefined ? '' : `\n  body (${r.body.length} chars): ${r.body.slice(0, 600)}`;
    return `${r.method} ${r.url.slice(0, 600)}\n  headers: ${JSON.stringify(r.headers).slice(0, 300)}${body}`;
  }

  /** A minPosition, after or Last-Event-ID the log has not reached: a bounded wait, then 503 not_caught_up. */
  function asksForTheFuture(r: Sent, head: string | null): boolean {
    let query: URLSearchParams;
    try {
      query = new URL(`${t.url}${r.url}`).searchParams;
    } catch {
      return false;
    }
    const current = parsePosition(head ?? '0')!;
    const asked = [
      ...query.getAll('minPosition'),
      ...query.getAll('after'),
      r.headers['last-event-id'] ?? '',
    ];
    return asked.some((v) => {
      const p = parsePosition(v);
      return p !== null && comparePositions(p, current) > 0;
    });
  }

  /** No 5xx; a 4xx is a well-formed problem document agreeing with the status. Returns the body. */
  function checkAnswer(op: Operation, r: Sent, a: Answer, head: string | null): any {
    const key = `${op.method} ${op.path}`;
    const statuses = seen.get(key) ?? new Map<number, number>();
    statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    seen.set(key, statuses);
    const fail = (why: string) => {
      throw new Error(
        `${why}\n${describeRequest(r)}\n  answered ${a.status} ${a.contentType}: ${a.text.slice(0, 800)}`,
      );
    };
    let body: any;
    if (a.status >= 400) {
      if (!/^application\/problem\+json/.test(a.contentType))
        fail('an error that is not application/problem+json');
      try {
        body = JSON.parse(a.text);
      } catch {
        fail('a problem document that is not JSON');
      }
      if (!validProblem(body))
        fail(`a problem that breaks the documented schema: ${JSON.stringify(validProblem.errors)}`);
      const expected = ERROR_CODES[body.code as keyof typeof ERROR_CODES];
      if (body.status !== a.status || expected?.status !== a.status)
        fail(`a problem whose status (${body.status}, code ${body.code}) is not the HTTP status`);
      if (body.type !== `/problems/${body.code}`) fail('a problem whose type does not name its code');
      if (body.title !== expected.title) fail("a problem whose title is not its code's");
      if (typeof body.detail !== 'string' || body.detail.trim() === '') fail('a problem without a detail');
      const rule = /offset beyond|year outside|no time zone|not an IANA|before start|not an ISO 8601/.exec(
        body.detail,
      );
      if (rule) reached.set(rule[0], (reached.get(rule[0]) ?? 0) + 1);
    } else if (a.status >= 200 && a.status < 300 && /^application\/json/.test(a.contentType)) {
      try {
        body = JSON.parse(a.text);
      } catch {
        fail('a JSON success that is not JSON');
      }
      const validate = documented(op, a.status);
      if (validate && !validate(body))
        fail(`a success that breaks its documented schema: ${JSON.stringify(validate.errors).slice(0, 600)}`);
    }
    if (a.status >= 500) {
      const future = a.status === 503 && body?.code === 'not_caught_up' && asksForTheFuture(r, head);
      if (!future) fail('a 5xx');
    }
    if (a.status < 200 || (a.status >= 300 && a.status < 400)) fail('neither a success nor an error');
    return body;
  }

  /** The read models have applied the whole log (so that no read waits on a write just made). */
  async function settled(): Promise<string | null> {
    const head = await t.head();
    const consistency = t.app.get(ReadConsistency);
    if (!(await waitUntil(() => consistency.position === head, 30_000)))
      throw new Error(`the read models did not reach ${head} (at ${consistency.position})`);
    return head;
  }

  /** The timeline's first page as the log at `head` gives it. */
  async function timelineAt(head: string | null): Promise<string> {
    const res = await t.get(`/v1/timeline?limit=200${head ? `&minPosition=${head}` : ''}`);
    expect(res.status).toBe(200);
    return res.text;
  }

  /** Values for the headers the service reads: revisions, positions, ids, and junk (Latin-1). */
  const headerValue = () =>
    fc.oneof(
      fc.constantFrom(
        '"3"',
        '3',
        '"0"',
        '""',
        '*',
        'W/"1"',
        '"-1"',
        '"1.5"',
        '"99999999999999999999"',
        '"any"',
      ),
      fc.integer({ min: -1, max: known.head + 2 }).map(String),
      fc.uuid(),
      fc.string({ maxLength: 30 }),
      fc.string({
        unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c === 0x7f ? 0xe9 : c)),
        maxLength: 20,
      }),
      fc.integer({ min: 129, max: 4_000 }).map((n) => 'h'.repeat(n)),
    );

  /**
   * Request headers: the operation's declared ones, and those the service reads without declaring
   * them (Last-Event-ID on live feeds, correlation and causation ids on writes); each one time in
   * seven, so that most requests get past them to what lies behind.
   */
  function extraHeaders(op: Operation): fc.Arbitrary<Record<string, string>> {
    const names = op.parameters.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
    if (op.produces.includes('text/event-stream')) names.push('last-event-id');
    if (op.method !== 'GET') names.push('x-correlation-id', 'x-causation-id');
    return fc
      .tuple(
        ...names.map(() =>
          fc.oneof({ arbitrary: fc.constant(null), weight: 6 }, { arbitrary: headerValue(), weight: 1 }),
        ),
      )
      .map((values) =>
        Object.fromEntries(names.flatMap((n, i) => (values[i] === null ? [] : [[n, values[i]!]]))),
      );
  }

  /** What fast-check caught (it keeps the property's own error as the cause). */
  const causeOf = (e: unknown): string => {
    const cause = (e as Error).cause;
    return cause instanceof Error ? cause.message : '';
  };

  /**
   * Fuzzes each operation in turn with its own property; a failing one does not stop the others,
   * and every failure is reported with its seed and counterexample.
   */
  async function fuzzEach(
    list: Operation[],
    property: (op: Operation) => fc.IAsyncPropertyWithHooks<[Sent]>,
    numRuns: (op: Operation) => number,
  ): Promise<void> {
    const failures: string[] = [];
    for (const op of list) {
      if (only && `${op.method} ${op.path}` !== only) continue;
      const started = Date.now();
      try {
        await fc.assert(property(op), { numRuns: numRuns(op), ...replay });
      } catch (e) {
        failures.push(
          `${op.method} ${op.path} (replay: FUZZ_ONLY='${op.method} ${op.path}' and the seed):\n` +
            `${(e as Error).message}\n${causeOf(e)}`,
        );
      }
      took.set(`${op.method} ${op.path}`, Date.now() - started);
    }
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  }

  // -------------------------------------------------------------------------------------------
  // Reads

  it(
    'every GET, with random path and query parameters: no 5xx, every 4xx a problem, the log untouched',
    async () => {
      const gets = ops.filter((o) => o.method === 'GET');
      expect(gets.length).toBeGreaterThan(20);
      await fuzzEach(
        gets,
        (op) => {
          const request = fc
            .tuple(concretePath(op, known), queryString(op, known), principals(), extraHeaders(op))
            .map(([path, query, auth, headers]): Sent => ({
              method: 'GET',
              url: `${path}${query}`,
              headers: auth === null ? headers : { ...headers, authorization: auth },
            }));
          return fc.asyncProperty(request, async (r) => {
            const head = await t.head();
            const answer = await send(r);
            checkAnswer(op, r, answer, head);
            if ((await t.head()) !== head) throw new Error(`a GET moved the log\n${describeRequest(r)}`);
          });
        },
        // With no parameters there is little to vary but the key and stray parameters (and
        // /v1/audit/verify hashes the whole log each time).
        (op) => (op.parameters.length === 0 ? runs(6) : runs(20)),
      );
    },
    120_000 * SCALE,
  );

  // -------------------------------------------------------------------------------------------
  // Writes

  /** Idempotency keys shared by several bodies: a reuse with another body is a 409. */
  const ids = [1, 2, 3, 4].map((n) => `00000000-0000-4000-8000-00000000000${n}`);

  /** Real, valid event bodies: the catalogue's examples, the fixtures, and the sample's own. */
  async function eventSeeds(): Promise<any[]> {
    const examples = ((await t.get('/v1/event-types')).body.items as any[]).map((i) => i.example);
    const sample = SAMPLE.events.map((e, i) => ({
      type: e.type,
      // "@ref" names an entry an earlier sample item started: here, some real entry.
      data: JSON.parse(
        JSON.stringify(e.data).replace(/"@[^"]+"/g, () =>
          JSON.stringify(known.entryIds[i % known.entryIds.length]),
        ),
      ),
    }));
    const all = [...examples, ...REGISTRY, ...REPORTS, ...sample].map((e) => ({
      type: e.type,
      data: e.data,
    }));
    return all.map((e, i) => (i % 4 === 0 ? { id: ids[i % ids.length], ...e } : e));
  }

  /** Batches of consecutive sample items (their "@ref"s resolve within the batch) and of reports. */
  function batchSeeds(): any[] {
    const batches: any[] = [];
    for (let i = 0; i < SAMPLE.events.length; i += 4)
      batches.push({ items: SAMPLE.events.slice(i, i + 1 + (i % 5)) });
    batches.push({ items: REPORTS.slice(0, 6) }, { items: [] });
    return batches;
  }

  const contentTypes = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 20 },
    {
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'application/vnd.chronology+json',
        'APPLICATION/JSON',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
      ),
      weight: 3,
    },
  );

  function writeRequest(op: Operation, seeds: any[]): fc.Arbitrary<Sent> {
    const body: fc.Arbitrary<string | undefined> =
      seeds.length === 0
        ? fc.oneof(fc.constant(undefined), fc.constant('{}'), rawJunk([{}]))
        : fc.oneof(
            { arbitrary: fc.constantFrom(...seeds).map((s) => JSON.stringify(s)), weight: 2 },
            { arbitrary: mutated(seeds, known).map(serialise), weight: 10 },
            { arbitrary: retimed(seeds).map(serialise), weight: 6 },
            { arbitrary: rawJunk(seeds), weight: 3 },
          );
    return fc
      .tuple(concretePath(op, known), body, contentTypes, principals(), extraHeaders(op))
      .map(([path, text, contentType, auth, extra]): Sent => {
        const headers: Record<string, string> = { ...extra };
        if (auth !== null) headers.authorization = auth;
        if (text !== undefined) headers['content-type'] = contentType;
        return { method: op.method, url: path, headers, body: text };
      });
  }

  /** What each answer may do to the log: a refusal or a replay nothing, a batch only what it stored. */
  function checkWrite(
    op: Operation,
    body: any,
    status: number,
    before: string | null,
    after: string | null,
  ): void {
    const moved = before !== after;
    if (status >= 400 && moved)
      throw new Error(`a refused write (${status}) moved the log from ${before} to ${after}`);
    if (op.path === '/v1/events' && status === 200 && moved)
      throw new Error(`a replay (200) moved the log from ${before} to ${after}`);
    if (op.path === '/v1/events/batch' && status === 200) {
      for (const item of body.items as any[]) {
        if (item.status >= 500)
          throw new Error(`a batch item answered ${item.status}: ${JSON.stringify(item)}`);
        if (item.status >= 400) {
          const p = item.problem as { status: number; type: string; code: string };
          if (!validProblem(item.problem) || p.status !== item.status || p.type !== `/problems/${p.code}`)
            throw new Error(`a batch item with an ill-formed problem: ${JSON.stringify(item)}`);
        }
      }
      if (body.stored === 0 && moved)
        throw new Error(`a batch that stored nothing moved the log to ${after}`);
    }
  }

  it(
    'every write route, with mutated real bodies and junk: no 5xx, every 4xx a problem, a refusal changes nothing',
    async () => {
      const writes = ops.filter((o) => o.method !== 'GET');
      expect(writes.map((o) => `${o.method} ${o.path}`)).toEqual(
        expect.arrayContaining(['POST /v1/events', 'POST /v1/events/batch', 'POST /v1/admin/keys']),
      );
      const events = await eventSeeds();
      let snapshot: { head: string | null; text: string } | null = null;
      const seedsOf = (op: Operation) =>
        !op.body
          ? []
          : op.body.oneOf
            ? events
            : op.body.properties?.items?.items?.oneOf
              ? batchSeeds()
              : [exampleOf(op.body, document)];
      await fuzzEach(
        writes,
        (op) =>
          fc.asyncProperty(writeRequest(op, seedsOf(op)), async (r) => {
            const before = await settled();
            if (snapshot?.head !== before) snapshot = { head: before, text: await timelineAt(before) };
            const answer = await send(r);
            const body = checkAnswer(op, r, answer, before);
            const after = await t.head();
            try {
              checkWrite(op, body, answer.status, before, after);
              if (answer.status >= 400) expect(await timelineAt(before)).toBe(snapshot.text);
            } catch (e) {
              throw new Error(
                `${(e as Error).message}\n${describeRequest(r)}\n  answered ${answer.status}: ${answer.text.slice(0, 600)}`,
              );
            }
          }),
        (op) => (op.path === '/v1/events' ? runs(300) : op.path === '/v1/events/batch' ? runs(50) : runs(25)),
      );
    },
    120_000 * SCALE,
  );

  it('exercised every documented operation, with both successes and refusals', () => {
    if (only) return;
    const missing = ops.map((o) => `${o.method} ${o.path}`).filter((o) => !seen.has(o));
    expect(missing).toEqual([]);
    const statuses = (op: string) => [...(seen.get(op)?.keys() ?? [])];
    // The generators are not vacuous: valid requests get through, invalid ones are refused. (Each
    // of these is all but certain at the default run counts: a miss means a generator went wrong.)
    for (const op of ['GET /v1/timeline', 'POST /v1/events', 'POST /v1/events/batch']) {
      expect({ op, success: statuses(op).some((s) => s < 300) }).toEqual({ op, success: true });
      expect({ op, refused: statuses(op).some((s) => s >= 400) }).toEqual({ op, refused: true });
    }
    // Path parameters: real ids found (200) and made-up ones not (404), across the GETs that take one.
    const byId = ops
      .filter((o) => o.method === 'GET' && o.parameters.some((p) => p.in === 'path'))
      .flatMap((o) => statuses(`${o.method} ${o.path}`));
    expect([200, 404].filter((s) => byId.includes(s))).toEqual([200, 404]);
    expect(statuses('POST /v1/events')).toEqual(expect.arrayContaining([201, 400, 401, 403]));
  });
});
