import type { Logger } from '@nestjs/common';
import type { CheckpointLog } from './checkpoint-log';

/**
 * Whether the checkpoint history covers the log. A file started for a log that already held events
 * means the checkpoints signed before are not here (deleted, lost, or never kept by this data dir):
 * an altered log would then verify against nothing. That is a failure until an operator accepts a
 * new history (`acceptNew`, from AUDIT_ACCEPT_MISSING_HISTORY), which the file records.
 *
 * Returns the problem, or null when the history is whole (or accepted).
 */
export function checkHistory(
  log: CheckpointLog,
  head: string | null,
  acceptNew: boolean,
  now: string,
  logger: Pick<Logger, 'warn'>,
): string | null {
  const notes = log.history();
  let started = notes.find((n) => n.kind === 'started');
  if (!started) {
    // A file kept before this record existed claims nothing about what came before it.
    started = { kind: 'started', position: log.createdNow ? head : null, at: now };
    log.note(started);
  }
  if (started.position === null || notes.some((n) => n.kind === 'accepted')) return null;
  if (acceptNew) {
    log.note({ kind: 'accepted', position: started.position, at: now });
    logger.warn(
      `a new checkpoint history begins at position ${started.position}: what was signed before it is not verified (accepted by AUDIT_ACCEPT_MISSING_HISTORY)`,
    );
    return null;
  }
  return (
    `the checkpoint history is missing: its file was started at ${started.at} for a log that already held events up to position ${started.position}, ` +
    'so nothing signed before can be compared with; restore audit-checkpoints.db from a backup, or start with AUDIT_ACCEPT_MISSING_HISTORY=true to begin a new history'
  );
}
