// `npm run test:redis`: the scale-out suite, against a real redis-server and several Flack
// processes. Not part of `npm test`, which needs no Redis. Same TypeScript setup as the backend
// project of the root config; one file at a time, since each starts its own Redis and instances.
const path = require('node:path');
const { projects } = require('../../../jest.config.js');

const backend = projects.find((project) => project.displayName === 'backend');

module.exports = {
  rootDir: path.join(__dirname, '../../..'),
  forceExit: true,
  maxWorkers: 1,
  testTimeout: 30_000,
  projects: [
    {
      ...backend,
      displayName: 'scale-out',
      testMatch: ['<rootDir>/test/scale-out/**/*.redis-spec.ts'],
    },
    {
      // Every repository contract, in memory and on a real redis-server (FLACK_TEST_REDIS=1).
      ...backend,
      displayName: 'repository contracts',
      testMatch: ['<rootDir>/src/**/*.repository.contract.ts'],
    },
  ],
};
