import { afterAll, describe, expect, it } from '@jest/globals';
import helmet from 'helmet';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmetOptions, securityHeaders } from './security-headers.js';

/** The headers a middleware leaves on a real (unsent) response. */
function headersAfter(middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void) {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  let nextCalled = false;
  middleware(request, response, () => (nextCalled = true));
  expect(nextCalled).toBe(true);
  return response.getHeaders();
}

describe('securityHeaders', () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'flack-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<html><script>window.boot()</script></html>');
  afterAll(() => rmSync(staticDir, { recursive: true }));

  it('sets exactly the headers helmet sets with Flack’s options', () => {
    expect(headersAfter(securityHeaders(staticDir))).toEqual(headersAfter(helmet(helmetOptions(staticDir))));
  });

  it('allows the build’s inline loader by hash and nothing else inline', () => {
    const csp = String(headersAfter(securityHeaders(staticDir))['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('lets the app register its own service worker and read its own manifest, from nowhere else', () => {
    const csp = String(headersAfter(securityHeaders(staticDir))['content-security-policy']);
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");
  });
});
