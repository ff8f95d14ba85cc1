// Three projects: unit specs beside the code, integration specs on real files / real gRPC,
// and HTTP end-to-end specs that boot the app on a temporary data dir.
const transform = { '^.+\\.ts$': ['@swc/jest'] };
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['reflect-metadata'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
  testTimeout: 30000,
  // A handle a spec leaks (a store client left reconnecting after a failed start) must not hold the
  // run open past its end; jest still prints "Force exiting Jest" so the leak is seen and mended.
  forceExit: true,
};
