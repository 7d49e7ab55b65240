// The HTTP surface around the chat: health, the OpenAPI description, security headers, unknown routes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestServer } from './support/test-app.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.stop();
});

describe('HTTP', () => {
  it('GET /api/health answers ok, and /api/docs serves the OpenAPI description', async () => {
    expect(await server.get('/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const docs = await fetch(`${server.url}/api/docs-json`);
    expect(docs.status).toBe(200);
    const spec = (await docs.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/channels', '/api/sessions']));
  });

  it('sends security headers with a CSP that runs no inline script', async () => {
    const response = await fetch(`${server.url}/api/health`);
    const csp = response.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').find((directive) => directive.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc).toContain("'self'");
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('answers unknown API paths with a JSON 404', async () => {
    expect(await server.get('/api/nothing-here')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });
});
