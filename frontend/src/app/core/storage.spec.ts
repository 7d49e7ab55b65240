import { TestBed } from '@angular/core/testing';
import { SavedSessions } from './storage';

describe('SavedSessions', () => {
  let saved: SavedSessions;

  beforeEach(() => {
    localStorage.clear();
    saved = TestBed.inject(SavedSessions);
  });

  const entry = { clientId: 'c1', channel: 'general', text: 'hi', writtenAt: '2025-01-01T09:00:00.000Z' };

  it('keeps one token per name as the server compares names: case, width and ß aside', () => {
    saved.saveToken('Straße', 'token');

    expect(saved.tokenFor(' STRASSE ')).toBe('token');
    expect(saved.tokenFor('ｓｔｒａｓｓｅ')).toBe('token');
    expect(saved.tokenFor('Strasser')).toBeNull();
  });

  it('finds what was saved under the key used before, and moves it on the next write', () => {
    localStorage.setItem('flack.tokens', JSON.stringify({ straße: 'older-token' }));
    localStorage.setItem('flack.outbox', JSON.stringify({ straße: [{ ...entry, failure: null }] }));

    expect(saved.tokenFor('Straße')).toBe('older-token');
    expect(saved.outbox('Straße')).toHaveLength(1);

    saved.saveToken('Straße', null);
    saved.updateOutbox('Straße', () => []);

    expect(saved.tokenFor('Straße')).toBeNull();
    expect(localStorage.getItem('flack.tokens')).toBe('{}');
    expect(localStorage.getItem('flack.outbox')).toBeNull();
  });
});
