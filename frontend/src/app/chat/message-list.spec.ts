import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { alice, bob, message } from '../../testing/fake-socket';
import { buttonNamed, text } from '../../testing/dom';
import { EmojiPicker } from './emoji/emoji-picker';
import { MessageList } from './message-list';
import type { Message } from '@flack/contract';
import type { ChatMessage } from './messages-store';

const stored = (messages: Message[]): ChatMessage[] => messages.map((m) => ({ ...m, status: 'sent' }));

/** Each button's accessible name (its aria-label, or its text), in tab order. */
const buttonNames = (root: ParentNode) =>
  [...root.querySelectorAll('button')].map((button) => button.getAttribute('aria-label') ?? text(button));

describe('MessageList', () => {
  let fixture: ComponentFixture<MessageList>;
  let element: HTMLElement;

  const nextFrame = async () => {
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve))));
    await fixture.whenStable();
  };

  /** Sets the list's messages and waits until every row is drawn (a few per frame, see drawnRows). */
  async function show(messages: readonly ChatMessage[]) {
    fixture.componentRef.setInput('messages', messages);
    await fixture.whenStable();
    for (let frame = 0, drawn = -1; frame < 120 && drawn !== articles().length; frame++) {
      drawn = articles().length;
      await nextFrame();
    }
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

  it('draws the newest messages first when a long channel opens, and the older ones right after', async () => {
    const many = Array.from({ length: 100 }, (_, i) => message('general', i + 1, `message ${i + 1}`, bob));
    fixture.componentRef.setInput('messages', stored(many));
    await fixture.whenStable();
    await nextFrame();

    expect(articles().length).toBeGreaterThan(0);
    expect(articles().length).toBeLessThan(100);
    expect(text(articles().at(-1))).toContain('message 100');

    // A batch a frame, sized to the time the last one took (BATCH_BUDGET_MS).
    for (let frame = 0; frame < 120 && articles().length < 100; frame++) await nextFrame();
    expect(articles()).toHaveLength(100);
    expect(text(articles()[0])).toContain('message 1');
  });

  describe('while a long channel opens', () => {
    const many = Array.from({ length: 100 }, (_, i) => message('general', i + 1, `message ${i + 1}`, bob));

    /** The rows drawn after each frame, until all `count` are. */
    async function fillIn(count: number): Promise<number[]> {
      fixture.componentRef.setInput('messages', stored(many.slice(-count)));
      await fixture.whenStable();
      const drawn: number[] = [];
      for (let frame = 0; frame < 120 && articles().length < count; frame++) {
        await nextFrame();
        drawn.push(articles().length);
      }
      return drawn;
    }

    afterEach(() => jest.restoreAllMocks());

    it('draws more rows a frame where rows are cheap to build, so a desktop fills in at once', async () => {
      jest.spyOn(performance, 'now').mockReturnValue(1_000);
      const drawn = await fillIn(100);

      expect(drawn.at(-1)).toBe(100);
      // One row, then twice as many each frame: 1 + 2 + 4 + ... + 64 > 100.
      expect(drawn.length).toBeLessThanOrEqual(12);
    });

    it('stays at a row a frame where a row costs more than the budget, as on a slow phone', async () => {
      let now = 0;
      jest.spyOn(performance, 'now').mockImplementation(() => (now += 10));
      const drawn = await fillIn(30);

      expect(drawn.at(-1)).toBe(30);
      // A row a frame (two when a frame of the test's spans two of the list's).
      expect(drawn.length).toBeGreaterThanOrEqual(15);
      drawn.forEach((count, i) => expect(count - (drawn[i - 1] ?? 0)).toBeLessThanOrEqual(2));
    });
  });

  async function drawAll() {
    for (let frame = 0, drawn = -1; frame < 120 && drawn !== articles().length; frame++) {
      drawn = articles().length;
      await nextFrame();
    }
  }

  describe('the top of the history', () => {
    const notice = 'Flack keeps the 100 most recent messages of each channel';

    it('says that older messages are not kept above the oldest of a full channel', async () => {
      const kept = Array.from({ length: 100 }, (_, i) =>
        message('general', i + 31, `message ${i + 31}`, bob),
      );
      await show(stored(kept));
      await drawAll();

      const log = element.querySelector('[role="log"]')!;
      expect(log.firstElementChild?.textContent).toContain(notice);
    });

    it('says nothing of the kind in a channel that still has its first message, or lost it to deletion', async () => {
      await show(stored([message('general', 1, 'first', bob), message('general', 2, 'second', bob)]));
      expect(text(element)).not.toContain(notice);

      await show(stored([message('general', 2, 'the first was deleted', bob)]));
      expect(text(element)).not.toContain(notice);
    });
  });

  describe('one tab stop', () => {
    beforeEach(async () => {
      await show(
        stored([
          message('general', 1, 'one', bob),
          message('general', 2, 'two', alice),
          message('general', 3, 'three', bob),
        ]),
      );
    });

    const tabStops = () =>
      [...element.querySelectorAll<HTMLElement>('[role="log"] *')].filter((el) => el.tabIndex >= 0);

    it('is the newest message, and none of the buttons in the messages', () => {
      expect(tabStops()).toEqual([articles().at(-1)]);
    });

    it('stays one when a message gains controls after it is drawn (a reaction, a link, a code block)', async () => {
      const [one, two, three] = [
        message('general', 1, 'one', bob),
        message('general', 2, 'two, now with https://example.com in it', alice),
        message('general', 3, 'three, with\n```\ncode\n```', bob),
      ];
      await show(stored([{ ...one, reactions: [{ emoji: '👍', users: [bob] }] }, two, three]));

      expect(articles()[0].querySelector('[aria-label="Reactions"] button')).not.toBeNull();
      expect(articles()[1].querySelector('a[href]')).not.toBeNull();
      expect(articles()[2].querySelector('pre')).not.toBeNull();
      expect(tabStops()).toEqual([articles().at(-1)]);
    });

    it('moves with Up, Down, Home and End, and stays with the message last focused', async () => {
      const key = (name: string) =>
        document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true }));
      (articles()[2] as HTMLElement).focus();
      key('ArrowUp');
      expect(document.activeElement).toBe(articles()[1]);
      key('Home');
      expect(document.activeElement).toBe(articles()[0]);
      key('End');
      expect(document.activeElement).toBe(articles()[2]);
      key('ArrowUp');
      await fixture.whenStable();
      expect(tabStops()).toEqual([articles()[1]]);

      // Right goes in among the message's buttons, which then take Tab; Escape goes back.
      key('ArrowRight');
      expect(document.activeElement?.getAttribute('aria-label')).toBe('Add reaction');
      key('ArrowRight');
      expect(text(document.activeElement as HTMLElement)).toBe('Reply');
      expect(tabStops()).toEqual([articles()[1], ...articles()[1].querySelectorAll('button')]);
      key('Escape');
      expect(document.activeElement).toBe(articles()[1]);
      expect(tabStops()).toEqual([articles()[1]]);
    });
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
      expect(buttonNames(element)).toEqual(['Add reaction', 'Reply', 'Edit', 'Delete']);
    });
  });

  describe('editing and deleting', () => {
    it('offers Edit and Delete on the reader’s own sent messages only', async () => {
      await show(stored([message('general', 1, 'mine', alice), message('general', 2, 'theirs', bob)]));

      const [mine, theirs] = articles();
      expect(buttonNames(mine)).toEqual(['Add reaction', 'Reply', 'Edit', 'Delete']);
      expect(buttonNames(theirs)).toEqual(['Add reaction', 'Reply']);
    });

    it('offers no actions on a message that is not sent yet', async () => {
      await show([{ ...message('general', -1, 'on its way', alice), status: 'pending' }]);

      expect(buttonNames(element)).toEqual([]);
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

  describe('reactions', () => {
    const ann = { id: 'u-ann', name: 'Ann' };
    const reacted = (reactions: Message['reactions']): ChatMessage[] =>
      stored([{ ...message('general', 1, 'lunch?', bob), reactions }]);
    const chips = () => [...element.querySelectorAll<HTMLButtonElement>('[aria-label="Reactions"] button')];

    it('shows each emoji with its count, pressed when the reader chose it, and who did', async () => {
      await show(
        reacted([
          { emoji: '👍', users: [ann, alice, bob] },
          { emoji: '🎉', users: [bob] },
        ]),
      );

      const [thumbs, party] = chips();
      expect(text(thumbs.querySelector('.reaction-emoji'))).toBe('👍');
      expect(text(thumbs.querySelector('.reaction-count'))).toBe('3');
      expect(thumbs.getAttribute('aria-pressed')).toBe('true');
      expect(thumbs.getAttribute('aria-label')).toBe('👍 3: Ann, Bob and you');
      expect(text(thumbs.querySelector('.tooltip'))).toBe('Ann, Bob and you');
      expect(party.getAttribute('aria-pressed')).toBe('false');
      expect(party.getAttribute('aria-label')).toBe('🎉 1: Bob');
    });

    it('takes back the reader’s reaction, or adds theirs, when a chip is clicked', async () => {
      const requests: string[] = [];
      fixture.componentInstance.react.subscribe(({ emoji, message }) =>
        requests.push(`+${emoji} ${message.id}`),
      );
      fixture.componentInstance.unreact.subscribe(({ emoji }) => requests.push(`-${emoji}`));
      const shown = reacted([
        { emoji: '👍', users: [alice] },
        { emoji: '🎉', users: [bob] },
      ]);
      await show(shown);

      chips()[0].click();
      chips()[1].click();

      expect(requests).toEqual(['-👍', `+🎉 ${shown[0].id}`]);
    });

    it('adds a reaction from the "Add reaction" picker, which closes and gives focus back', async () => {
      const picked: string[] = [];
      fixture.componentInstance.react.subscribe(({ emoji }) => picked.push(emoji));
      await show(reacted(undefined));
      const opener = buttonNamed(element, 'Add reaction');

      opener.click();
      await fixture.whenStable();
      expect(opener.getAttribute('aria-expanded')).toBe('true');
      const picker = fixture.debugElement.query(By.directive(EmojiPicker));
      expect(picker.nativeElement.querySelector('[role="dialog"]').getAttribute('aria-label')).toBe(
        'Add reaction',
      );
      (picker.componentInstance as EmojiPicker).picked.emit('🎉');
      await fixture.whenStable();

      expect(picked).toEqual(['🎉']);
      expect(fixture.debugElement.query(By.directive(EmojiPicker))).toBeNull();
      expect(opener.getAttribute('aria-expanded')).toBe('false');
      expect(document.activeElement).toBe(opener);
    });

    it('closes the picker without reacting when it is dismissed, or its button is clicked again', async () => {
      const picked: string[] = [];
      fixture.componentInstance.react.subscribe(({ emoji }) => picked.push(emoji));
      await show(reacted(undefined));
      const opener = buttonNamed(element, 'Add reaction');

      opener.click();
      await fixture.whenStable();
      (fixture.debugElement.query(By.directive(EmojiPicker)).componentInstance as EmojiPicker).closed.emit();
      await fixture.whenStable();
      expect(fixture.debugElement.query(By.directive(EmojiPicker))).toBeNull();

      opener.click();
      await fixture.whenStable();
      opener.click();
      await fixture.whenStable();
      expect(fixture.debugElement.query(By.directive(EmojiPicker))).toBeNull();
      expect(picked).toEqual([]);
    });
  });

  describe('replies', () => {
    const original = message('general', 1, 'the meeting is at 3', alice);
    const replyTo = { id: original.id, seq: 1, author: alice, excerpt: 'the meeting is at 3' };
    const answer = { ...message('general', 2, 'see you there', bob), replyTo };

    it('offers Reply on every sent message', async () => {
      const replied: string[] = [];
      fixture.componentInstance.reply.subscribe((m) => replied.push(m.id));
      await show(stored([original]));

      buttonNamed(element, 'Reply').click();

      expect(replied).toEqual([original.id]);
    });

    it('quotes the original above the reply, as a button that shows and focuses it', async () => {
      await show(stored([original, answer]));

      const [first, reply] = articles() as HTMLElement[];
      const quote = reply.querySelector<HTMLButtonElement>('button.quote')!;
      expect(quote.getAttribute('aria-label')).toBe('In reply to Alice: the meeting is at 3');
      expect(text(quote.querySelector('.quote-author'))).toBe('Alice');
      expect(text(quote.querySelector('.quote-excerpt'))).toBe('the meeting is at 3');
      // The quote comes before the reply's own text.
      expect(text(reply.querySelector('.body'))).toMatch(/the meeting is at 3.*see you there/);
      first.scrollIntoView = jest.fn();

      quote.click();
      await fixture.whenStable();

      expect(first.scrollIntoView).toHaveBeenCalled();
      expect(document.activeElement).toBe(first);
      expect(first.classList).toContain('highlighted');
    });

    it('says when the original was deleted, without quoting it', async () => {
      const before = message('general', 1, 'earlier', bob);
      const deletedOne = { ...replyTo, seq: 2, id: 'gone-id' };
      await show(stored([before, { ...message('general', 3, 'see you there', bob), replyTo: deletedOne }]));

      const reply = articles()[1];
      expect(reply.querySelector('button.quote')).toBeNull();
      expect(text(reply.querySelector('.quote'))).toContain('The original message was deleted');
      expect(text(reply.querySelector('.quote'))).not.toContain('the meeting is at 3');
    });

    it('says so when the server marks the original deleted', async () => {
      await show(stored([original, { ...answer, replyTo: { ...replyTo, excerpt: '', deleted: true } }]));

      const quote = articles()[1].querySelector('.quote');
      expect(articles()[1].querySelector('button.quote')).toBeNull();
      expect(text(quote)).toContain('The original message was deleted');
    });

    it('says when the original is no longer in the history, still quoting it', async () => {
      await show(stored([{ ...answer, seq: 150 }]));

      const quote = articles()[0].querySelector('.quote');
      expect(articles()[0].querySelector('button.quote')).toBeNull();
      expect(text(quote)).toContain('the meeting is at 3');
      expect(text(quote)).toContain('The original message is no longer in the history');
    });

    it('quotes a reply that is not sent yet too', async () => {
      await show([...stored([original]), { ...answer, seq: -1, id: 'unsent:x', status: 'pending' }]);

      expect(text(articles()[1].querySelector('button.quote'))).toContain('the meeting is at 3');
    });
  });

  describe('reveal', () => {
    it('shows a loaded message, and says false for one that is not loaded', async () => {
      const shown = stored([message('general', 1, 'one'), message('general', 2, 'two')]);
      await show(shown);

      expect(fixture.componentInstance.reveal('nope')).toBe(false);
      expect(fixture.componentInstance.reveal(shown[0].id)).toBe(true);
      await fixture.whenStable();

      expect(articles()[0].classList).toContain('highlighted');
      expect(articles()[1].classList).not.toContain('highlighted');
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

      expect(buttonNames(element)).not.toContain('New messages below');
    });

    it('goes to the bottom when the reader sends while scrolled up', async () => {
      const first = stored([message('general', 1, 'one')]);
      await scrolledUpIn(first);

      scrollHeight = 1300;
      await show([...first, { ...message('general', -1, 'mine', alice), status: 'pending' }]);

      expect(scrollTop).toBe(1300);
      expect(buttonNames(element)).not.toContain('New messages below');
    });
  });
});
