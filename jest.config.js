// One runner for the whole repo: `npm test` runs the contract's rules and the backend (ESM, ts-jest)
// and the Angular app (jest-preset-angular) as three projects.
const path = require('node:path');

const backend = {
  displayName: 'backend',
  rootDir: path.join(__dirname, 'backend'),
  testEnvironment: 'node',
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/src/**/*.repository.contract.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
  ],
  setupFiles: ['<rootDir>/test/setup.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }] },
};

const contract = {
  displayName: 'contract',
  rootDir: path.join(__dirname, 'contract'),
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }] },
};

module.exports = {
  // Socket.IO clients in the end-to-end suites may still hold reconnect or rate-limit timers when the
  // last test ends; they do not change any result, and CI must not wait on them.
  forceExit: true,
  projects: [contract, backend, require('./frontend/jest.config.cjs')],
};
