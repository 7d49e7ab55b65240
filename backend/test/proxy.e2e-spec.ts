import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestServer, uniqueName } from './support/test-app.js';

/** Behind a load balancer (see "Running several instances" in the README). */
describe('TRUST_PROXY', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ TRUST_PROXY: '1', NAME_CLAIMS_PER_MINUTE: '1' });
  });

  afterAll(async () => {
    await server.stop();
  });

  const claimFrom = async (address: string) =>
    (
      await fetch(`${server.url}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ name: uniqueName('proxied') }),
      })
    ).status;

  it('counts name claims per client address as the proxy reports it, not per proxy', async () => {
    expect(await claimFrom('203.0.113.1')).toBe(201);
    expect(await claimFrom('203.0.113.2')).toBe(201);
    expect(await claimFrom('203.0.113.1')).toBe(429);
  });
});
