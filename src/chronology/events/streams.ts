/** What kinds of stream the log has: one per entry, actor, source and crisis. */
export type StreamKind = 'actor' | 'source' | 'crisis' | 'entry' | 'measure';

/** The stream an entry, actor, source or crisis is written to: `entry-<uuid>`, `actor-<slug>`, … */
export const streamOf = (kind: StreamKind, id: string): string => `${kind}-${id}`;
