import { describe, expect, it } from '@jest/globals';
import { isOriginAllowed, normalizeOrigin } from './origin.js';

/** A connection that arrived at 127.0.0.1:3000, as after `npm start` or in a test. */
const LOOPBACK = { localAddress: '127.0.0.1', localPort: 3000 };

describe('isOriginAllowed', () => {
  it('allows the page this server serves on a loopback host at its own port', () => {
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
      expect(isOriginAllowed(origin, LOOPBACK, [])).toBe(true);
    }
    // Bound to every interface, IPv4 arrives as an IPv4-mapped IPv6 address.
    expect(
      isOriginAllowed('http://localhost:3000', { localAddress: '::ffff:127.0.0.1', localPort: 3000 }, []),
    ).toBe(true);
  });

  it('allows the address literal the connection arrived at, and no other', () => {
    const lan = { localAddress: '::ffff:192.168.1.5', localPort: 3000 };
    expect(isOriginAllowed('http://192.168.1.5:3000', lan, [])).toBe(true);
    expect(isOriginAllowed('http://192.168.1.6:3000', lan, [])).toBe(false);
    expect(isOriginAllowed('http://[fe80::1]:3000', { localAddress: 'fe80:0::1', localPort: 3000 }, [])).toBe(
      true,
    );
  });

  it('refuses other sites, other ports, other schemes and garbage', () => {
    expect(isOriginAllowed('https://evil.example', LOOPBACK, [])).toBe(false);
    expect(isOriginAllowed('http://localhost:3001', LOOPBACK, [])).toBe(false);
    expect(isOriginAllowed('https://localhost:3000', LOOPBACK, [])).toBe(false);
    expect(isOriginAllowed('null', LOOPBACK, [])).toBe(false);
    expect(isOriginAllowed('', LOOPBACK, [])).toBe(false);
    expect(isOriginAllowed('http://localhost:3000', {}, [])).toBe(false);
  });

  it('never trusts a name because the Host header says so (DNS rebinding)', () => {
    // A rebound page sends Host: evil.example:3000, equal to its Origin; the check never reads Host.
    expect(isOriginAllowed('http://evil.example:3000', LOOPBACK, [])).toBe(false);
    expect(isOriginAllowed('http://localhost.evil.example:3000', LOOPBACK, [])).toBe(false);
  });

  it('allows configured origins exactly', () => {
    const allowed = ['https://chat.example.org'];
    const behindProxy = { localAddress: '10.0.0.7', localPort: 3000 };
    expect(isOriginAllowed('https://chat.example.org', behindProxy, allowed)).toBe(true);
    expect(isOriginAllowed('https://CHAT.example.org:443', behindProxy, allowed)).toBe(true);
    expect(isOriginAllowed('https://chat.example.org.evil', behindProxy, allowed)).toBe(false);
    expect(isOriginAllowed('http://chat.example.org', behindProxy, allowed)).toBe(false);
    expect(isOriginAllowed('https://chat.example.org:8443', behindProxy, allowed)).toBe(false);
  });

  it('allows clients that are not browsers and send no Origin', () => {
    expect(isOriginAllowed(undefined, LOOPBACK, [])).toBe(true);
  });
});

describe('normalizeOrigin', () => {
  it('writes an origin the way browsers send it', () => {
    expect(normalizeOrigin('HTTPS://Chat.Example.org:443/')).toBe('https://chat.example.org');
    expect(normalizeOrigin('http://localhost:4200')).toBe('http://localhost:4200');
  });

  it('leaves what is not an origin as it was, for the configuration check to refuse', () => {
    for (const entry of [
      'https://chat.example.org/app',
      'https://chat.example.org/?x',
      'chat.example.org',
      '*',
    ]) {
      expect(normalizeOrigin(entry)).toBe(entry);
    }
  });
});
