import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ExportLine } from '../audit/audit-leaf';
import { openCheckpoint, parseVerifierKey } from '../audit/checkpoint';
import { verifyExport, type VerifyReport } from '../audit/verify-log';

/** Reads a file argument that may also be given inline (a key string, a note). */
function textOf(value: string): string {
  return existsSync(value) ? readFileSync(value, 'utf8') : value;
}

async function* readLines(file: string): AsyncGenerator<ExportLine> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    if (text.trim() === '') continue;
    try {
      yield JSON.parse(text) as ExportLine;
    } catch {
      throw new Error(`${file}:${n}: not a JSON line`);
    }
  }
}

/**
 * Verifies an export with no server and no database: the checkpoint's signature with the public
 * key, then every event against its leaf and the recorded leaves against the signed root.
 */
export async function verifyOffline(
  exportFile: string,
  checkpointArg: string,
  publicKeyArg: string,
): Promise<VerifyReport & { checkpointSize: number; origin: string }> {
  const key = parseVerifierKey(textOf(publicKeyArg).trim());
  const { checkpoint } = openCheckpoint(textOf(checkpointArg), key);
  const report = await verifyExport(readLines(exportFile), [
    { size: checkpoint.size, rootHash: Buffer.from(checkpoint.rootHash) },
  ]);
  return { ...report, checkpointSize: checkpoint.size, origin: checkpoint.origin };
}

export function describeReport(r: VerifyReport & { checkpointSize: number; origin: string }): string {
  const lines = [
    `log ${r.origin}: ${r.checked} leaves checked against the checkpoint of size ${r.checkpointSize}`,
  ];
  if (r.redacted > 0)
    lines.push(`${r.redacted} API key events carry their data's hash, not the data (redacted)`);
  if (r.firstBad)
    lines.push(
      `FIRST BAD POSITION ${r.firstBad.position ?? '?'} (leaf ${r.firstBad.leafIndex}): ${r.firstBad.problem}`,
    );
  if (r.treeProblem) lines.push(`TREE: ${r.treeProblem}`);
  lines.push(r.ok ? 'OK: the export matches the signed checkpoint' : 'FAILED: the log was altered');
  return lines.join('\n');
}
