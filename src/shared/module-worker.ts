import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

// Plain JavaScript, run with `eval`: loads the compiler hook first when the service runs from its
// TypeScript sources (jest, `node -r test/ts-hook.cjs src/main.ts`), then the worker's module.
// Every path is absolute: an eval'd worker resolves bare names from the process's working directory.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.hook) require(workerData.hook);
require(workerData.reflect);
require(workerData.entry);
`;

/** The compiler hook of a source checkout: test/ts-hook.cjs under the package root. */
function sourceHook(from: string): string {
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const hook = join(dir, 'test', 'ts-hook.cjs');
      if (existsSync(hook)) return hook;
      break;
    }
  }
  throw new Error(`running ${from} from TypeScript sources needs test/ts-hook.cjs in its checkout`);
}

/**
 * Starts a worker thread running `module` (a path without extension, beside `callerFile`, which
 * is the caller's `__filename`): the compiled `.js` in a build, the `.ts` under the compiler hook
 * when the caller itself runs from sources. `workerData.data` is what the module receives.
 */
export function startModuleWorker(
  callerFile: string,
  module: string,
  data: unknown,
  options: Omit<WorkerOptions, 'eval' | 'workerData'> = {},
): Worker {
  const fromSources = extname(callerFile) === '.ts';
  const entry = join(callerFile, '..', `${module}${fromSources ? '.ts' : '.js'}`);
  return new Worker(BOOTSTRAP, {
    ...options,
    eval: true,
    workerData: {
      entry,
      hook: fromSources ? sourceHook(callerFile) : null,
      reflect: require.resolve('reflect-metadata'),
      data,
    },
  });
}
