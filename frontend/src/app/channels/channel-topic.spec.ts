import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { Channel, ClaimNameResponse } from '@flack/contract';
import {
  FakeSocket,
  alice,
  channel,
  provideFakeSocket,
  settleView,
  snapshot,
} from '../../testing/fake-socket';
import { buttonNamed, fieldLabelled, submitFrom, text, typeInto } from '../../testing/dom';
import { SessionApi } from '../core/session-api';
import { SessionStore } from '../core/session-store';
import { ChannelTopic } from './channel-topic';
import { ChannelsStore } from './channels-store';

describe('ChannelTopic', () => {
  let fake: FakeSocket;
  let fixture: ComponentFixture<ChannelTopic>;
  let store: ChannelsStore;
  const plans = channel('Plans', { topic: 'Release on Thursday' });

  /** What the header shows: the component bound to the store's copy of the channel, as the chat page does. */
  async function show(listed: Channel = plans): Promise<void> {
    const first = snapshot({ channels: [listed, channel('Other')], joined: [listed.id, 'other'] });
    fake.answerOk('session:get', first);
    await TestBed.inject(SessionStore).signIn('Alice');
    store.applySnapshot({ snapshot: first, reconnect: false, restarted: false });
    fixture = TestBed.createComponent(ChannelTopic);
    fixture.componentRef.setInput('channel', listed);
    await settleView(fixture);
  }

  async function follow(id: string): Promise<void> {
    fixture.componentRef.setInput(
      'channel',
      store.channels().find((listed) => listed.id === id),
    );
    await settleView(fixture);
  }

  const root = (): HTMLElement => fixture.nativeElement;
  const shownTopic = () => root().querySelector('.topic');

  beforeEach(() => {
    localStorage.clear();
    fake = new FakeSocket();
    const claim: ClaimNameResponse = { token: 'token', user: alice };
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeSocket(fake),
        { provide: SessionApi, useValue: { claimName: () => Promise.resolve(claim) } },
      ],
    });
    store = TestBed.inject(ChannelsStore);
  });

  it('shows the topic as text, in its own direction, on one line with the whole of it kept', async () => {
    await show(channel('Plans', { topic: '<b>שלום</b> & welcome' }));

    const topic = shownTopic()!;
    expect(text(topic)).toBe('<b>שלום</b> & welcome');
    expect(topic.querySelector('b')).toBeNull();
    expect(topic.getAttribute('dir')).toBe('auto');
    expect(topic.getAttribute('tabindex')).toBe('0');
    expect([topic.getAttribute('role'), topic.getAttribute('aria-label')]).toEqual(['note', 'Topic']);
    expect(text(root().querySelector('.full'))).toBe('<b>שלום</b> & welcome');
  });

  it('shows no topic line when there is none, only the button', async () => {
    await show(channel('Plans'));

    expect(shownTopic()).toBeNull();
    expect(buttonNamed(root(), 'Edit topic')).toBeTruthy();
  });

  it('edits inline: the field starts with the topic, Enter saves it and the header follows', async () => {
    await show();
    fake.answer('channel:topic', (payload) => ({
      ok: true,
      data: { ...plans, topic: (payload as { topic: string }).topic.trim() },
    }));

    buttonNamed(root(), 'Edit topic').click();
    await settleView(fixture);
    const field = fieldLabelled(root(), 'Topic');
    expect(field.value).toBe('Release on Thursday');
    expect(document.activeElement).toBe(field);
    typeInto(field, ' Release on Friday ');
    submitFrom(field);
    await settleView(fixture);
    await follow('plans');

    expect(fake.sentEvents('channel:topic')).toEqual([{ channel: 'plans', topic: ' Release on Friday ' }]);
    expect(root().querySelector('input')).toBeNull();
    expect(text(shownTopic())).toBe('Release on Friday');
    expect(document.activeElement).toBe(buttonNamed(root(), 'Edit topic'));
  });

  it('cancels with Escape: nothing is sent and the topic stays', async () => {
    await show();
    buttonNamed(root(), 'Edit topic').click();
    await settleView(fixture);
    const field = fieldLabelled(root(), 'Topic');
    typeInto(field, 'Something else');

    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    field.dispatchEvent(escape);
    await settleView(fixture);

    expect(escape.defaultPrevented).toBe(true);
    expect(fake.sentEvents('channel:topic')).toEqual([]);
    expect(root().querySelector('input')).toBeNull();
    expect(text(shownTopic())).toBe('Release on Thursday');
  });

  it("keeps the field open with the server's reason when the topic is refused", async () => {
    await show();
    fake.answerError('channel:topic', { code: 'RATE_LIMITED', message: 'You are changing topics too fast.' });

    buttonNamed(root(), 'Edit topic').click();
    await settleView(fixture);
    const field = fieldLabelled(root(), 'Topic');
    typeInto(field, 'Again');
    submitFrom(field);
    await settleView(fixture);

    expect(text(root().querySelector('[role="alert"]'))).toBe('You are changing topics too fast.');
    expect(fieldLabelled(root(), 'Topic').value).toBe('Again');
    expect(text(shownTopic())).toBe('');
  });

  it('refuses a topic past the contract rule before sending, in the same words', async () => {
    await show();
    buttonNamed(root(), 'Edit topic').click();
    await settleView(fixture);
    const field = fieldLabelled(root(), 'Topic');

    typeInto(field, 'x'.repeat(251));
    submitFrom(field);
    await settleView(fixture);

    expect(text(root().querySelector('.problem'))).toBe('A topic can be at most 250 characters.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(buttonNamed(root(), 'Save').disabled).toBe(true);
    expect(fake.sentEvents('channel:topic')).toEqual([]);
  });

  it("follows someone else's change live, through channel:updated", async () => {
    await show();

    fake.serverEmit('channel:updated', { ...plans, topic: 'Changed by Bob' });
    await follow('plans');
    expect(text(shownTopic())).toBe('Changed by Bob');

    const { topic: _, ...cleared } = plans;
    fake.serverEmit('channel:updated', cleared);
    await follow('plans');
    expect(shownTopic()).toBeNull();
    expect(store.channels().find((listed) => listed.id === 'plans')).toEqual(cleared);
  });

  it('closes the field when another channel opens', async () => {
    await show();
    buttonNamed(root(), 'Edit topic').click();
    await settleView(fixture);

    await follow('other');

    expect(root().querySelector('input')).toBeNull();
  });
});
