// Lets a child process run the TypeScript sources, as jest does for the tests themselves:
// `node -r ./test/ts-hook.cjs src/main.ts`, and worker threads started from the sources (see
// src/shared/module-worker.ts). Same compiler (@swc/core) and options (.swcrc).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const options = JSON.parse(readFileSync(join(__dirname, '..', '.swcrc'), 'utf8'));
delete options.$schema;

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename, swcrc: false });
  module._compile(code, filename);
};
