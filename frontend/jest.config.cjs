// Unit tests of the Angular app: jsdom, zoneless, run from the root `jest.config.js` as a project.
const { createCjsPreset } = require('jest-preset-angular/presets');

module.exports = {
  displayName: 'frontend',
  rootDir: __dirname,
  ...createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
  setupFilesAfterEnv: ['<rootDir>/src/setup-jest.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    // The contract from source, so the tests need no build; its relative imports end in `.js`.
    '^@flack/contract$': '<rootDir>/../contract/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // marked ships ESM only; its UMD build is the same code in a form CommonJS jest loads.
    '^marked$': '<rootDir>/../node_modules/marked/lib/marked.umd.js',
  },
};
