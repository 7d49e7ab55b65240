// The published contract: GET /api/asyncapi.json on the real server answers the validated AsyncAPI document.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildAsyncApiDocument } from '../src/docs/asyncapi.document.js';
import { asyncApiProblems } from './support/asyncapi-problems.js';
import { TestServer } from './support/test-app.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.stop();
});

describe('GET /api/asyncapi.json', () => {
  it('answers the AsyncAPI 3.0 document without a session, valid for @asyncapi/parser', async () => {
    const response = await fetch(`${server.url}/api/asyncapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    const document: unknown = await response.json();
    expect(document).toEqual(buildAsyncApiDocument());
    expect(document).toMatchObject({ asyncapi: '3.0.0', servers: { flack: { pathname: '/socket.io' } } });
    expect(await asyncApiProblems(document)).toEqual([]);
  });

  it('carries the same security headers as every other route', async () => {
    const [document, health] = await Promise.all(
      ['/api/asyncapi.json', '/api/health'].map((path) => fetch(server.url + path)),
    );
    for (const header of [
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
    ]) {
      expect(health.headers.get(header)).toBeTruthy();
      expect(document.headers.get(header)).toBe(health.headers.get(header));
    }
  });

  it('is listed in the OpenAPI document beside the REST routes', async () => {
    const openApi = (await server.get('/api/docs-json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(openApi.paths)).toContain('/api/asyncapi.json');
  });
});
