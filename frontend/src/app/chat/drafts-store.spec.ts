import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { User } from '@flack/contract';
import { SessionStore } from '../core/session-store';
import { DraftsStore } from './drafts-store';

describe('DraftsStore', () => {
  const user = signal<User | null>(null);
  const alice: User = { id: 'u-alice', name: 'alice' };
  const bob: User = { id: 'u-bob', name: 'bob' };

  function store(): DraftsStore {
    return TestBed.inject(DraftsStore);
  }

  beforeEach(() => {
    user.set(alice);
    TestBed.configureTestingModule({ providers: [{ provide: SessionStore, useValue: { user } }] });
  });

  it('keeps a draft per channel, and says which channels have one', () => {
    const drafts = store();

    drafts.save('general', 'half a thought');
    drafts.save('random', 'another');
    drafts.save('random', '   ');

    expect(drafts.draftFor('general')).toBe('half a thought');
    expect(drafts.draftFor('random')).toBe('');
    expect([...drafts.channelsWithDrafts()]).toEqual(['general']);
  });

  it('survives a reload (localStorage), and clearing it (a send) removes it there too', () => {
    store().save('general', 'kept');
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [{ provide: SessionStore, useValue: { user } }] });

    const reloaded = store();
    expect(reloaded.draftFor('general')).toBe('kept');

    reloaded.clear('general');
    expect(reloaded.channelsWithDrafts().size).toBe(0);
    expect(localStorage.getItem('flack.drafts')).toBeNull();
  });

  it('is per person: another name signed in here sees none of it, and forgetting one keeps the other', () => {
    const drafts = store();
    drafts.save('general', "alice's");
    user.set(bob);
    expect(drafts.draftFor('general')).toBe('');
    drafts.save('general', "bob's");

    drafts.forgetUser('u-alice');
    user.set(alice);
    expect(drafts.draftFor('general')).toBe('');
    user.set(bob);
    expect(drafts.draftFor('general')).toBe("bob's");
  });

  it('hears what another tab saved', () => {
    const drafts = store();
    expect(drafts.draftFor('general')).toBe('');

    localStorage.setItem('flack.drafts', JSON.stringify({ 'u-alice': { general: 'from the other tab' } }));
    window.dispatchEvent(new StorageEvent('storage', { key: 'flack.drafts' }));

    expect(drafts.draftFor('general')).toBe('from the other tab');
  });

  it('ignores what it cannot read, and saves nothing signed out', () => {
    localStorage.setItem('flack.drafts', JSON.stringify({ 'u-alice': { general: 42, random: 'ok' }, x: [] }));
    const drafts = store();
    expect(drafts.drafts()).toEqual({ random: 'ok' });

    user.set(null);
    drafts.save('general', 'nobody');
    expect(drafts.draftFor('general')).toBe('');
  });
});
