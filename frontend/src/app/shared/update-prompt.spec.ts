import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { buttonNamed } from '../../testing/dom';
import { AppUpdates, PAGE_RELOAD, SERVICE_WORKERS } from '../core/app-updates';
import { UpdatePrompt } from './update-prompt';

/** The browser's service workers as far as the app uses them: messages, register, a controller. */
class FakeWorkers extends EventTarget {
  readonly posted: unknown[] = [];
  readonly register = jest.fn(() => Promise.resolve({}));
  controller: { postMessage(message: unknown): void } | null = {
    postMessage: (message) => this.posted.push(message),
  };

  /** What ngsw-worker.js posts to the page. */
  say(type: string): void {
    this.dispatchEvent(new MessageEvent('message', { data: { type } }));
  }
}

describe('UpdatePrompt and AppUpdates', () => {
  let workers: FakeWorkers;
  let reload: jest.Mock;

  async function render() {
    const fixture = TestBed.createComponent(UpdatePrompt);
    await fixture.whenStable();
    return fixture;
  }

  beforeEach(() => {
    workers = new FakeWorkers();
    reload = jest.fn();
    TestBed.configureTestingModule({
      providers: [
        { provide: SERVICE_WORKERS, useValue: workers },
        { provide: PAGE_RELOAD, useValue: reload },
      ],
    });
  });

  it('registers the worker once the app is stable, and asks it for a new version', async () => {
    await render();
    await TestBed.inject(ApplicationRef).whenStable();
    await Promise.resolve();

    expect(workers.register).toHaveBeenCalledWith('ngsw-worker.js');
    expect(workers.posted).toEqual([{ action: 'CHECK_FOR_UPDATES', nonce: expect.any(Number) }]);
  });

  it('says nothing until a new version is ready, then offers Reload, which reloads onto it', async () => {
    const fixture = await render();
    const host = fixture.nativeElement as HTMLElement;
    expect(host.textContent?.trim()).toBe('');

    workers.say('VERSION_DETECTED');
    await fixture.whenStable();
    expect(host.querySelector('[role="status"]')).toBeNull();

    workers.say('VERSION_READY');
    await fixture.whenStable();
    expect(host.querySelector('[role="status"]')?.textContent).toContain('A new version of Flack is ready.');
    buttonNamed(host, 'Reload').click();
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('goes on Later, and comes back with the next new version', async () => {
    const fixture = await render();
    const host = fixture.nativeElement as HTMLElement;
    workers.say('VERSION_READY');
    await fixture.whenStable();

    buttonNamed(host, 'Later').click();
    await fixture.whenStable();
    expect(host.querySelector('[role="status"]')).toBeNull();

    workers.say('VERSION_READY');
    await fixture.whenStable();
    expect(host.querySelector('[role="status"]')).not.toBeNull();
    expect(reload).not.toHaveBeenCalled();
  });

  it('reloads at once when the worker cannot serve this version any more', async () => {
    await render();
    workers.say('UNRECOVERABLE_STATE');
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('starts once however many pages show a prompt', async () => {
    await render();
    await render();
    workers.say('UNRECOVERABLE_STATE');
    expect(reload).toHaveBeenCalledTimes(1);
    expect(TestBed.inject(AppUpdates).ready()).toBe(false);
  });
});
