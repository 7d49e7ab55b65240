import { TestBed } from '@angular/core/testing';
import { FakeSocket, channel, provideFakeServer, settle, snapshot } from '../../testing/fake-socket';
import { buttonNamed } from '../../testing/dom';
import { SessionStore } from '../core/session-store';
import { SavedSessions, type SavedOutboxEntry } from '../core/storage';
import { ConnectionCoordinator } from './connection-coordinator';
import { UnsentNotice } from './unsent-notice';

const saved = (channelId: string, text: string, failure: string | null): SavedOutboxEntry => ({
  clientId: `${channelId}-${text}`,
  channel: channelId,
  text,
  writtenAt: '2026-12-01T10:00:00.000Z',
  failure,
});

describe('UnsentNotice', () => {
  let fake: FakeSocket;

  async function render(entries: SavedOutboxEntry[]) {
    TestBed.configureTestingModule({ providers: [...provideFakeServer(fake)] });
    TestBed.inject(SavedSessions).updateOutbox('Alice', () => entries);
    TestBed.inject(ConnectionCoordinator);
    const fixture = TestBed.createComponent(UnsentNotice);
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    await fixture.whenStable();
    return fixture;
  }

  const region = (host: HTMLElement, title: string) =>
    [...host.querySelectorAll('section')].find(
      (section) => section.querySelector('h2')?.textContent === title,
    );

  beforeEach(() => {
    localStorage.clear();
    fake = new FakeSocket();
  });

  it('lists a failed message to a channel that no longer exists, and Discard drops it', async () => {
    fake.answerOk('session:get', snapshot({ channels: [channel('General')], joined: ['general'] }));
    // The outbox tries the pending ones on connect: a channel that is gone is refused.
    fake.answerError('message:send', { code: 'NOT_FOUND', message: 'There is no channel with that name.' });
    const fixture = await render([
      saved('gone', 'written during the outage', null),
      saved('general', 'shown in #general itself', 'The server did not answer.'),
    ]);
    const host = fixture.nativeElement as HTMLElement;

    const notice = region(host, 'Not sent: the channel is gone');
    expect(notice?.textContent).toContain('Written to #gone, which no longer exists');
    expect(notice?.textContent).toContain('written during the outage');
    expect(notice?.textContent).not.toContain('shown in #general itself');

    // Still there if the connection goes again: the person has not decided yet.
    fake.drop();
    await fixture.whenStable();
    expect(region(host, 'Not sent: the channel is gone')?.textContent).toContain('written during the outage');

    buttonNamed(region(host, 'Not sent: the channel is gone')!, 'Discard').click();
    await fixture.whenStable();
    expect(region(host, 'Not sent: the channel is gone')).toBeUndefined();
    expect(
      TestBed.inject(SavedSessions)
        .outbox('Alice')
        .map((entry) => entry.text),
    ).toEqual(['shown in #general itself']);
  });

  it('says so when the channel is still there but this person is no longer in it', async () => {
    fake.answerOk('session:get', snapshot({ channels: [channel('Design')], joined: [] }));
    const fixture = await render([saved('design', 'about the logo', 'You are not a member of "Design".')]);

    expect(region(fixture.nativeElement, 'Not sent: the channel is gone')?.textContent).toContain(
      'Written to #Design, which you are no longer in',
    );
  });

  it('opened without a connection, lists what waits to be sent', async () => {
    // Flack cannot be reached: the connection is never accepted.
    fake = new FakeSocket(false);
    const fixture = await render([
      saved('general', 'written on the train', null),
      saved('random', 'refused last visit', 'The server did not answer.'),
    ]);

    const waiting = region(fixture.nativeElement, 'Waiting to be sent');
    expect(waiting?.textContent).toContain('To #general');
    expect(waiting?.textContent).toContain('written on the train');
    expect(waiting?.textContent).toContain('To #random · Not sent: The server did not answer.');
  });
});
