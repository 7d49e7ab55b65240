import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { alice, bob, message } from '../../testing/fake-socket';
import { buttonNamed, text } from '../../testing/dom';
import { MessageList } from './message-list';
import type { Message } from '@flack/contract';
import type { ChatMessage } from './messages-store';

const stored = (messages: Message[]): ChatMessage[] => messages.map((m) => ({ ...m, status: 'sent' }));

describe('MessageList', () => {
  let fixture: ComponentFixture<MessageList>;
  let element: HTMLElement;

  async function show(messages: readonly ChatMessage[]) {
    fixture.componentRef.setInput('messages', messages);
    await fixture.whenStable();
  }

  beforeEach(async () => {
    fixture = TestBed.createComponent(MessageList);
    fixture.componentRef.setInput('channelName', '#general');
    fixture.componentRef.setInput('ownUserId', alice.id);
    element = fixture.nativeElement;
    await show([]);
  });

  const articles = () => [...element.querySelectorAll('[role="log"] article')];

  it('is a log that tells how to start when the channel is empty', () => {
    const log = element.querySelector('[role="log"]');

    expect(log).not.toBeNull();
    expect(articles()).toHaveLength(0);
    expect(text(log)).toContain('This is the very beginning of #general');
    expect(text(log)).toContain('press Enter');
  });

  it('shows each message as an article with author, text and a machine-readable time', async () => {
    const sent = message('general', 1, 'Morning all!', bob);
    await show(stored([sent]));

    const [article] = articles();
    expect(text(article)).toContain('Bob');
    expect(text(article)).toContain('Morning all!');
    const time = article.querySelector('time');
    expect(time?.getAttribute('datetime')).toBe(sent.createdAt);
    expect(text(time)).toMatch(/\d/);
  });

  it('renders markup in messages and names as text', async () => {
    const hostile = message('general', 1, '<img src=x onerror=alert(1)>', {
      id: 'u-x',
      name: '<b>Mallory</b>',
    });
    await show(stored([hostile]));

    expect(element.querySelector('img, b')).toBeNull();
    expect(text(articles()[0])).toContain('<b>Mallory</b>');
    expect(text(articles()[0])).toContain('<img src=x onerror=alert(1)>');
  });

  it('shows links, and highlights mentions of the reader once their name is given', async () => {
    await show(stored([message('general', 1, '@alice see https://example.com', bob)]));
    expect(articles()[0].querySelector('a')?.getAttribute('href')).toBe('https://example.com/');
    expect(articles()[0].querySelector('mark')).toBeNull();

    fixture.componentRef.setInput('mentionName', alice.name);
    await fixture.whenStable();

    expect(text(articles()[0].querySelector('mark.mention'))).toBe('@alice');
    expect(text(articles()[0].querySelector('.text'))).toBe('@alice see https://example.com');
  });

  it('marks the reader’s own messages', async () => {
    await show(stored([message('general', 1, 'mine', alice), message('general', 2, 'theirs', bob)]));

    const [mine, theirs] = articles();
    expect(mine.classList).toContain('own');
    expect(text(mine)).toContain('you');
    expect(theirs.classList).not.toContain('own');
  });

  it('groups a run of messages by one author, keeping the name in each article', async () => {
    await show(stored([message('general', 1, 'one', bob), message('general', 2, 'two', bob)]));

    const [first, second] = articles();
    expect(first.querySelector('app-avatar')).not.toBeNull();
    expect(second.querySelector('app-avatar')).toBeNull();
    expect(text(second)).toContain('Bob');
    expect(second.querySelector('time')).not.toBeNull();
  });

  describe('delivery', () => {
    const mine = (status: ChatMessage['status'], failure?: string): ChatMessage => ({
      ...message('general', -1, 'on its way', alice),
      clientId: 'client-1',
      status,
      ...(failure ? { failure } : {}),
    });

    it('says a pending message is being sent, or waits for the connection', async () => {
      await show([mine('pending')]);
      expect(text(articles()[0])).toContain('Sending…');

      fixture.componentRef.setInput('online', false);
      await fixture.whenStable();

      expect(text(articles()[0])).toContain('Waiting for connection…');
    });

    it('shows why a message failed, with Retry and Discard for it', async () => {
      const retried: string[] = [];
      const discarded: string[] = [];
      fixture.componentInstance.retry.subscribe((id) => retried.push(id));
      fixture.componentInstance.discard.subscribe((id) => discarded.push(id));
      await show([mine('failed', 'The server did not answer.')]);

      expect(text(articles()[0])).toContain('Not sent. The server did not answer.');
      buttonNamed(element, 'Retry').click();
      buttonNamed(element, 'Discard').click();

      expect(retried).toEqual(['client-1']);
      expect(discarded).toEqual(['client-1']);
    });

    it('shows no delivery state for a sent message', async () => {
      await show([mine('sent')]);

      expect(text(articles()[0])).not.toMatch(/Sending|Not sent|Waiting/);
      expect([...element.querySelectorAll('button')].map(text)).toEqual(['Edit', 'Delete']);
    });
  });

  describe('editing and deleting', () => {
    it('offers Edit and Delete on the reader’s own sent messages only', async () => {
      await show(stored([message('general', 1, 'mine', alice), message('general', 2, 'theirs', bob)]));

      const [mine, theirs] = articles();
      expect([...mine.querySelectorAll('button')].map(text)).toEqual(['Edit', 'Delete']);
      expect(theirs.querySelectorAll('button')).toHaveLength(0);
    });

    it('asks before deleting, and says which message', async () => {
      const mine = stored([message('general', 1, 'mine', alice)]);
      const removed: string[] = [];
      fixture.componentInstance.remove.subscribe((m) => removed.push(m.id));
      await show(mine);

      buttonNamed(element, 'Delete').click();
      await fixture.whenStable();
      expect(text(articles()[0])).toContain('Delete this message for everyone?');
      buttonNamed(element, 'Cancel').click();
      await fixture.whenStable();
      expect(removed).toEqual([]);

      buttonNamed(element, 'Delete').click();
      await fixture.whenStable();
      buttonNamed(element, 'Delete').click();
      expect(removed).toEqual([mine[0].id]);
    });

    it('marks an edited message', async () => {
      await show([
        { ...stored([message('general', 1, 'fixed', bob)])[0], editedAt: '2025-01-01T10:00:00.000Z' },
      ]);

      expect(text(articles()[0])).toContain('fixed(edited)');
    });
  });

  describe('the "New messages" divider', () => {
    it('goes above the first message by someone else after where the reader stopped', async () => {
      fixture.componentRef.setInput('unreadAfterSeq', 1);
      await show(
        stored([
          message('general', 1, 'read', bob),
          message('general', 2, 'my own', alice),
          message('general', 3, 'unread', bob),
          message('general', 4, 'also unread', bob),
        ]),
      );

      const log = element.querySelector('[role="log"]')!;
      const order = [...log.children].map((child) =>
        child.getAttribute('role') === 'separator' ? '--' : text(child.querySelector('.text')),
      );
      expect(order.filter((item) => item !== '')).toEqual(['read', 'my own', '--', 'unread', 'also unread']);
    });

    it('is not shown when nothing was unread', async () => {
      await show(stored([message('general', 1, 'read', bob)]));

      expect(element.querySelector('[role="separator"]')).toBeNull();
    });
  });

  describe('scrolling', () => {
    let scroller: HTMLElement;
    let scrollTop = 0;
    let scrollHeight = 1000;

    beforeEach(() => {
      scroller = element.querySelector('[role="log"]') as HTMLElement;
      Object.defineProperty(scroller, 'clientHeight', { configurable: true, get: () => 400 });
      Object.defineProperty(scroller, 'scrollHeight', { configurable: true, get: () => scrollHeight });
      Object.defineProperty(scroller, 'scrollTop', {
        configurable: true,
        get: () => scrollTop,
        set: (value: number) => (scrollTop = value),
      });
    });

    it('follows new messages while the reader is at the bottom', async () => {
      await show(stored([message('general', 1, 'one')]));
      expect(scrollTop).toBe(1000);

      scrollHeight = 1200;
      await show(stored([message('general', 1, 'one'), message('general', 2, 'two')]));

      expect(scrollTop).toBe(1200);
    });

    it('stays put when the reader scrolled up, and offers a jump to the newest', async () => {
      const first = stored([message('general', 1, 'one')]);
      await show(first);
      scrollTop = 100;
      scroller.dispatchEvent(new Event('scroll'));

      scrollHeight = 1200;
      await show([...first, ...stored([message('general', 2, 'two')])]);

      expect(scrollTop).toBe(100);
      buttonNamed(element, 'New messages below').click();
      expect(scrollTop).toBe(1200);
    });

    async function scrolledUpIn(messages: ChatMessage[]) {
      await show(messages);
      scrollTop = 100;
      scroller.dispatchEvent(new Event('scroll'));
    }

    it('offers the jump when a full channel drops its oldest for a new one', async () => {
      const [one, two, three] = stored([1, 2, 3].map((seq) => message('general', seq, `m${seq}`)));
      await scrolledUpIn([one, two]);

      await show([two, three]);

      expect(scrollTop).toBe(100);
      expect(buttonNamed(element, 'New messages below')).toBeTruthy();
    });

    it('does not call a deleted newest message news', async () => {
      const [one, two] = stored([1, 2].map((seq) => message('general', seq, `m${seq}`)));
      await scrolledUpIn([one, two]);

      await show([one]);

      expect(element.querySelector('button')).toBeNull();
    });

    it('goes to the bottom when the reader sends while scrolled up', async () => {
      const first = stored([message('general', 1, 'one')]);
      await scrolledUpIn(first);

      scrollHeight = 1300;
      await show([...first, { ...message('general', -1, 'mine', alice), status: 'pending' }]);

      expect(scrollTop).toBe(1300);
      expect(element.querySelector('button')).toBeNull();
    });
  });
});
