import { describe, expect, it } from '@jest/globals';
import { isOriginAllowed } from './origin.js';

describe('isOriginAllowed', () => {
  it('allows the page served by this server', () => {
    expect(isOriginAllowed('http://localhost:3000', 'localhost:3000', [])).toBe(true);
  });

  it('refuses other sites, other ports and garbage', () => {
    expect(isOriginAllowed('https://evil.example', 'localhost:3000', [])).toBe(false);
    expect(isOriginAllowed('http://localhost:3001', 'localhost:3000', [])).toBe(false);
    expect(isOriginAllowed('null', 'localhost:3000', [])).toBe(false);
  });

  it('allows listed origins exactly', () => {
    const allowed = ['https://chat.example.org'];
    expect(isOriginAllowed('https://chat.example.org', 'internal:3000', allowed)).toBe(true);
    expect(isOriginAllowed('https://chat.example.org.evil', 'internal:3000', allowed)).toBe(false);
    expect(isOriginAllowed('http://chat.example.org', 'internal:3000', allowed)).toBe(false);
  });

  it('allows clients that are not browsers and send no Origin', () => {
    expect(isOriginAllowed(undefined, 'localhost:3000', [])).toBe(true);
  });
});
