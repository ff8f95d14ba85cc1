import type { LinkRelation } from '../../chronology/events';
import { parseTemporal, type TemporalInput } from '../../shared/time';
import type { TimelineDoc } from './timeline.doc';
import { baseKey, compareKeys, keyOf, type Neighbour, type Placement, type SortKey } from './timeline.order';
import { placementOf } from './timeline.order';

/** The worked examples of docs/ordering.md. Entries are named; `seq` is the order they were recorded in. */
interface Example {
  readonly name: string;
  readonly occurred: TemporalInput;
  readonly links?: ReadonlyArray<{ relation: LinkRelation; direction: 'out' | 'in'; entryId: string }>;
}

const KYIV = 'Europe/Kyiv';

function doc(e: Example): TimelineDoc {
  const { value, errors } = parseTemporal(e.occurred, 'occurred');
  expect(errors).toEqual([]);
  return {
    entryId: e.name,
    report: { occurred: value },
    links: (e.links ?? []).map((l, i) => ({ ...l, linkId: `${e.name}-${i}`, sourceId: 's', recordedAt: '' })),
  } as unknown as TimelineDoc;
}

/**
 * The timeline order of the examples, recorded in the order given: keys are settled as the
 * projection does, each entry re-keyed from its neighbours' current keys until none changes.
 */
function order(examples: readonly Example[]): string[] {
  const docs = new Map(examples.map((e) => [e.name, doc(e)]));
  const places = new Map<string, Placement>(
    examples.map((e, i) => [e.name, placementOf(docs.get(e.name)!, i + 1)]),
  );
  const keys = new Map<string, SortKey>();
  const neighbour = (id: string): Neighbour | null =>
    keys.has(id) ? { ...places.get(id)!, key: keys.get(id)! } : null;
  for (let round = 0, changed = true; changed && round < 10; round++) {
    changed = false;
    for (const e of examples) {
      const key = keyOf(places.get(e.name)!, docs.get(e.name)!.links, neighbour);
      if (!keys.has(e.name) || compareKeys(keys.get(e.name)!, key) !== 0) changed = true;
      keys.set(e.name, key);
    }
  }
  return [...keys.keys()].sort((a, b) => compareKeys(keys.get(a)!, keys.get(b)!));
}

const at = (start: string, extra: Partial<TemporalInput> = {}): TemporalInput => ({
  start,
  timezone: KYIV,
  ...extra,
});

/** Two entries linked `from -> to` by `relation`, each showing the link as the projection does. */
function linked(relation: LinkRelation, from: Example, to: Example): [Example, Example] {
  return [
    { ...from, links: [...(from.links ?? []), { relation, direction: 'out', entryId: to.name }] },
    { ...to, links: [...(to.links ?? []), { relation, direction: 'in', entryId: from.name }] },
  ];
}

describe('the timeline ordering rule (docs/ordering.md)', () => {
  it('1. a day-only entry sorts after the timed events of its day, before the next day', () => {
    expect(
      order([
        { name: 'confirmation (day)', occurred: at('2022-02-24') },
        { name: 'next day 01:00', occurred: at('2022-02-25T01:00') },
        { name: 'shelling 18:30', occurred: at('2022-02-24T18:30') },
        { name: 'invasion 05:00', occurred: at('2022-02-24T05:00') },
      ]),
    ).toEqual(['invasion 05:00', 'shelling 18:30', 'confirmation (day)', 'next day 01:00']);
  });

  it('2. a part of the day sorts after the finer times within it, before those after it', () => {
    expect(
      order([
        { name: 'morning', occurred: at('2022-02-24', { precision: 'morning' }) },
        { name: 'dawn', occurred: at('2022-02-24', { precision: 'dawn' }) },
        { name: '09:00', occurred: at('2022-02-24T09:00') },
        { name: '06:30', occurred: at('2022-02-24T06:30') },
        { name: 'the day', occurred: at('2022-02-24') },
        { name: 'evening', occurred: at('2022-02-24', { precision: 'evening' }) },
      ]),
    ).toEqual(['06:30', 'dawn', '09:00', 'morning', 'evening', 'the day']);
  });

  it('3. coarser precision sorts after finer at the same end: hour, day, week, month, year', () => {
    expect(
      order([
        { name: 'year 2022', occurred: at('2022') },
        { name: 'December', occurred: at('2022-12') },
        { name: '31 December', occurred: at('2022-12-31') },
        { name: '31 December, 23:00 hour', occurred: at('2022-12-31T23') },
        { name: '31 December, 23:59', occurred: at('2022-12-31T23:59') },
        { name: '1 January 2023', occurred: at('2023-01-01') },
      ]),
    ).toEqual([
      '31 December, 23:59',
      '31 December, 23:00 hour',
      '31 December',
      'December',
      'year 2022',
      '1 January 2023',
    ]);
  });

  it('4. between entries as precise as each other, a link decides where the record order would not', () => {
    const examples = linked(
      'responds-to',
      { name: 'decision', occurred: at('2022-02-24') },
      { name: 'demand', occurred: at('2022-02-24') },
    );
    expect(order(examples)).toEqual(['demand', 'decision']);
    expect(order(examples.map((e) => ({ ...e, links: [] })))).toEqual(['decision', 'demand']);
  });

  it('5. a link that contradicts precision moves the coarser entry next to the finer one', () => {
    const [calls, signing] = linked(
      'precedes',
      { name: 'calls (day)', occurred: at('2022-02-21') },
      { name: 'signing 22:35', occurred: at('2022-02-21T22:35') },
    );
    const before: Example = { name: 'statement 20:00', occurred: at('2022-02-21T20:00') };
    expect(order([calls, signing, before])).toEqual(['statement 20:00', 'calls (day)', 'signing 22:35']);
    expect(order([{ ...calls, links: [] }, { ...signing, links: [] }, before])).toEqual([
      'statement 20:00',
      'signing 22:35',
      'calls (day)',
    ]);
  });

  it('6. a link between entries whose windows do not overlap changes nothing: stated times win', () => {
    const examples = linked(
      'responds-to',
      { name: '10:00', occurred: at('2022-02-24T10:00') },
      { name: '11:00', occurred: at('2022-02-24T11:00') },
    );
    expect(order(examples)).toEqual(['10:00', '11:00']);
  });

  it('7. a chain of links orders every entry of a day, whatever order they were recorded in', () => {
    const day = (name: string): Example => ({ name, occurred: at('2022-02-22') });
    const [a, b1] = linked('precedes', day('a'), day('b'));
    const [b, c] = linked('precedes', b1, day('c'));
    expect(order([c, b, a])).toEqual(['a', 'b', 'c']);
  });

  it('8. an interval sorts by the window of its start: a week of talks before the days inside it', () => {
    expect(
      order([
        { name: 'talks 20-27 Feb', occurred: at('2022-02-20', { end: '2022-02-27' }) },
        { name: '21 Feb 12:00', occurred: at('2022-02-21T12:00') },
        { name: '20 Feb 12:00', occurred: at('2022-02-20T12:00') },
      ]),
    ).toEqual(['20 Feb 12:00', 'talks 20-27 Feb', '21 Feb 12:00']);
  });

  it('9. the coarser of two linked entries is the one that moves: the finer keeps its place among others', () => {
    // July 2022 ends on the Sunday that ends ISO week 30: all three sort at the same instant.
    const examples = linked(
      'announces',
      { name: 'July', occurred: at('2022-07') },
      { name: '31 July', occurred: at('2022-07-31') },
    );
    expect(order([...examples, { name: 'week 30', occurred: at('2022-W30') }])).toEqual([
      'July',
      '31 July',
      'week 30',
    ]);
  });

  it('lets neither of two contradicting links decide: the pair keeps its stated order, and keys settle', () => {
    const [a, b] = linked(
      'responds-to',
      { name: 'a', occurred: at('2022-02-24') },
      { name: 'b', occurred: at('2022-02-24') },
    );
    const [b2, a2] = linked('responds-to', b, a);
    expect(order([a2, b2])).toEqual(['a', 'b']);
    expect(order([b2, a2])).toEqual(['b', 'a']);
    // Neither key moves, so re-keying has nothing to chase round the pair.
    const pa = placementOf(doc(a2), 1);
    const pb = placementOf(doc(b2), 2);
    const neighbour = (key: SortKey, p: Placement): Neighbour => ({ ...p, key });
    expect(keyOf(pa, doc(a2).links, () => neighbour(baseKey(pb), pb))).toEqual(baseKey(pa));
    expect(keyOf(pb, doc(b2).links, () => neighbour(baseKey(pa), pa))).toEqual(baseKey(pb));
  });

  it('keeps the sort instant within the interval, even when the end is finer than the start', () => {
    const d = doc({ name: 'x', occurred: at('2022-02-17', { end: '2022-02-17T18:30' }) });
    const p = placementOf(d, 1);
    const key = baseKey(p);
    expect(key.ms).toBeGreaterThanOrEqual(Date.parse(d.report.occurred.start));
    expect(key.ms).toBeLessThan(Date.parse(d.report.occurred.end));
    expect(new Date(key.ms).toISOString()).toBe('2022-02-17T16:30:59.999Z');
  });
});
