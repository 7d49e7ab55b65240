import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  afterRenderEffect,
  computed,
  inject,
  input,
  linkedSignal,
  model,
  output,
  signal,
  viewChild,
} from '@angular/core';
import {
  LIMITS,
  countGraphemes,
  isEmoji,
  messageTextProblem,
  replyExcerpt,
  type Message,
} from '@flack/contract';
import {
  MAX_SUGGESTIONS,
  SHORTCODE_MIN_QUERY,
  applySuggestion,
  convertShortcodeBeforeCaret,
  convertShortcodes,
  mayHoldShortcodes,
  filterByQuery,
  foldForMatch,
  looksLikeShortcodeReaction,
  reactionIn,
  triggerAt,
  type Suggestion,
  type Trigger,
} from './autocomplete/autocomplete';
import { ComposerSuggestions } from './autocomplete/suggestion-sources';
import { excerptText } from './markdown/message-doc';
import { searchShortcodes } from './emoji/emoji-catalog';
import { EmojiPicker } from './emoji/emoji-picker';
import { EmojiStore } from './emoji/emoji-store';

/** Show the count only when it starts to matter. */
const COUNT_FROM = LIMITS.messageMaxLength - 200;

/** An input method is composing: its Enter picks a candidate (some report only key code 229). */
function isComposing(event: KeyboardEvent): boolean {
  return event.isComposing || event.keyCode === 229;
}

function sameTrigger(a: Trigger | null, b: Trigger | null): boolean {
  return (
    a === b || (a !== null && b !== null && a.start === b.start && a.end === b.end && a.query === b.query)
  );
}

/**
 * The message field: Enter sends the trimmed text, Shift+Enter starts a new line. Arrow Up in an
 * empty field asks to edit the person's last message; while editing, Enter saves and Escape cancels.
 *
 * Typing `@`, `#` or `:` + two letters opens a list of people, channels or emoji shortcodes (the
 * field a textbox with aria-autocomplete, aria-controls and aria-activedescendant, the list a
 * listbox: ARIA allows no combobox role on a multi-line field): Up and Down move, Enter or Tab
 * picks (Enter does not send while the list is open), Escape closes it, a click picks too. A full
 * `:shortcode:` becomes its emoji as its closing colon is typed. A whole message `+:thumbsup:` or
 * `+👍` is a reaction (`react`), not text. The emoji button opens the picker at the caret.
 */
@Component({
  selector: 'app-composer',
  imports: [EmojiPicker],
  templateUrl: './composer.html',
  styleUrl: './composer.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Composer {
  readonly draft = model('');
  /** How the conversation is called, sigil included: `#general`, `@bob`. */
  readonly channelName = input.required<string>();
  readonly send = output<string>();
  /** Editing a sent message rather than writing a new one. */
  readonly editing = input(false);
  readonly editLast = output<void>();
  readonly cancelEdit = output<void>();
  /** The message the next one answers: shown above the field with a way to cancel. */
  readonly replyingTo = input<Message | null>(null);
  readonly cancelReply = output<void>();
  /** A whole message `+:emoji:` / `+👍`: react with this emoji (to the newest message) instead. */
  readonly react = output<string>();
  /** Files picked with the paperclip or pasted into the field (an image from the clipboard). */
  readonly attach = output<File[]>();
  /** How many files the next message carries: with any, it may be sent without text. */
  readonly attachments = input(0);

  private readonly field = viewChild.required<ElementRef<HTMLTextAreaElement>>('field');
  private readonly injector = inject(Injector);
  private readonly emoji = inject(EmojiStore);
  private readonly sources = inject(ComposerSuggestions, { optional: true });

  protected readonly maxLength = LIMITS.messageMaxLength;
  /** What Send sends. */
  private readonly text = computed(() => this.draft().trim());
  protected readonly length = computed(() => countGraphemes(this.text()));
  /** The server's own rule (contract/src/text.ts), so what this refuses is what the server would. */
  protected readonly problem = computed(() => messageTextProblem(this.text()));
  protected readonly tooLong = computed(() => this.length() > this.maxLength);
  protected readonly showCount = computed(() => this.length() >= COUNT_FROM);
  protected readonly canSend = computed(
    () => this.problem() === null || (this.text() === '' && this.attachments() > 0 && !this.editing()),
  );
  protected readonly replyExcerpt = computed(() => {
    const message = this.replyingTo();
    return message ? excerptText(replyExcerpt(message.text)) : '';
  });

  /** The `@`/`#`/`:` word at the caret, while the field has focus. */
  private readonly trigger = signal<Trigger | null>(null, { equal: sameTrigger });
  /**
   * Where the trigger starts that Escape or a pick closed the list for: it stays closed while the
   * caret is in that word (after `@Ann `, not reopened for "Ann Lee"), until another one.
   */
  private readonly dismissed = signal<number | null>(null);
  protected readonly suggestions = computed((): readonly Suggestion[] => {
    const trigger = this.trigger();
    if (trigger === null || this.dismissed() === trigger.start) return [];
    return this.suggestionsFor(trigger);
  });
  protected readonly listOpen = computed(() => this.suggestions().length > 0);
  /**
   * The highlighted option: the first for each new word typed; when the list is rebuilt for the
   * same word (someone came online, a member joined), the option that was highlighted stays so,
   * or an arrow key pressed then would move from the first, and Enter pick someone else.
   */
  protected readonly activeIndex = linkedSignal({
    source: () => ({ trigger: this.trigger(), list: this.suggestions() }),
    computation: ({ trigger, list }, previous): number => {
      // The same word is the same object: `trigger` keeps its value while `sameTrigger` holds.
      if (previous?.source.trigger !== trigger) return 0;
      const highlighted = previous.source.list[previous.value];
      return Math.max(
        0,
        list.findIndex((option) => option.id === highlighted?.id),
      );
    },
  });
  protected readonly activeOption = computed(() =>
    this.listOpen() ? `composer-option-${this.activeIndex()}` : null,
  );

  protected readonly pickerOpen = signal(false);
  protected readonly formattingShown = signal(false);

  constructor() {
    // The field shows the draft also when it goes back to what the view last showed (emptied after
    // an input the view never drew), which the [value] binding alone would not write.
    afterRenderEffect({
      write: () => {
        const text = this.draft();
        const field = this.field().nativeElement;
        if (field.value !== text) field.value = text;
      },
    });
  }

  focus(): void {
    this.field().nativeElement.focus();
  }

  protected onInput(event: Event): void {
    const field = this.field().nativeElement;
    const typed = event instanceof InputEvent ? event.data : null;
    if (typed?.endsWith(':')) {
      const converted = convertShortcodeBeforeCaret(field.value, field.selectionStart, (code) =>
        this.emoji.emojiFor(code),
      );
      if (converted) this.setText(converted.text, converted.caret);
    }
    this.draft.set(field.value);
    this.syncTrigger();
  }

  /** Where the caret is decides what the list offers; arrows, clicks and focus move it. */
  protected syncTrigger(): void {
    const field = this.field().nativeElement;
    const caret = field.selectionStart;
    const trigger =
      document.activeElement === field && caret === field.selectionEnd ? triggerAt(field.value, caret) : null;
    if (trigger?.kind === ':') this.emoji.load().catch(() => undefined);
    if (trigger === null || trigger.start !== this.dismissed()) this.dismissed.set(null);
    this.trigger.set(trigger);
  }

  protected onBlur(): void {
    this.trigger.set(null);
  }

  protected onKeydown(event: KeyboardEvent): void {
    // With a modifier a key is someone else's: Shift+Enter a new line, Alt+Shift+↑ the next
    // unread channel (shell/keyboard-shortcuts.ts), Shift+↑ a selection.
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (this.listOpen() && this.onListKey(event)) return;
    switch (event.key) {
      case 'Enter':
        // Enter while an input method is composing picks a candidate.
        if (isComposing(event)) return;
        event.preventDefault();
        void this.submit();
        return;
      case 'ArrowUp':
        if (this.field().nativeElement.value !== '' || this.editing()) return;
        event.preventDefault();
        this.editLast.emit();
        return;
      case 'Escape':
        // Escape here cancels the edit or the reply only, not whatever else it does on the page (mark read).
        if (this.editing()) this.cancelEdit.emit();
        else if (this.replyingTo()) this.cancelReply.emit();
        else return;
        event.preventDefault();
        event.stopPropagation();
        return;
    }
  }

  /** The list's keys; true when the key was the list's. */
  private onListKey(event: KeyboardEvent): boolean {
    const count = this.suggestions().length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.activeIndex.update((index) => (index + step + count) % count);
        break;
      }
      case 'Enter':
      case 'Tab':
        if (isComposing(event)) return false;
        this.pick(this.activeIndex());
        break;
      case 'Escape':
        this.dismissed.set(this.trigger()?.start ?? null);
        event.stopPropagation();
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  }

  protected pick(index: number): void {
    const trigger = this.trigger();
    const suggestion = this.suggestions()[index];
    if (!trigger || !suggestion) return;
    const applied = applySuggestion(this.field().nativeElement.value, trigger, suggestion);
    if (suggestion.kind === ':') this.emoji.remember(suggestion.insert);
    this.setText(applied.text, applied.caret);
    this.draft.set(applied.text);
    this.dismissed.set(trigger.start);
    this.trigger.set(null);
  }

  /**
   * The pointer highlights what it moves over. Only a real move: a list that appears under a
   * resting pointer must not take the highlight from the first option (Chromium sends events then).
   */
  protected hover(index: number, event: MouseEvent): void {
    const at = `${event.screenX},${event.screenY}`;
    if (at === this.pointerAt) return;
    this.pointerAt = at;
    this.activeIndex.set(index);
  }

  private pointerAt = '';

  /** A click on an option must not take focus from the field (it would close the list first). */
  protected keepFocus(event: Event): void {
    event.preventDefault();
  }

  protected togglePicker(): void {
    this.pickerOpen.update((open) => !open);
  }

  /** The picker's emoji goes where the caret was (the field keeps its selection while blurred). */
  protected insertEmoji(emoji: string): void {
    const field = this.field().nativeElement;
    const { selectionStart: start, selectionEnd: end, value } = field;
    const text = value.slice(0, start) + emoji + value.slice(end);
    this.pickerOpen.set(false);
    this.setText(text, start + emoji.length);
    this.draft.set(text);
    field.focus();
  }

  /** The paperclip's file field: its files go to the tray, and it is emptied so the same file can be picked again. */
  protected onFilesPicked(event: Event): void {
    const field = event.target as HTMLInputElement;
    const files = [...(field.files ?? [])];
    field.value = '';
    if (files.length > 0) this.attach.emit(files);
    this.focus();
  }

  /**
   * A pasted image (or file) is attached; pasted text is left to the field, also when it comes with
   * a picture of itself (a spreadsheet's cells are both).
   */
  protected onPaste(event: ClipboardEvent): void {
    const data = event.clipboardData;
    const files = [...(data?.files ?? [])];
    if (files.length === 0 || this.editing() || data?.types.includes('text/plain')) return;
    event.preventDefault();
    this.attach.emit(files);
  }

  protected closePicker(): void {
    this.pickerOpen.set(false);
  }

  protected onSubmit(event: Event): void {
    event.preventDefault();
    void this.submit();
  }

  /** A send waiting for the emoji data: a second Enter meanwhile must not send it again. */
  private submitting = false;

  /**
   * Sends what the field holds now, read from the field itself: an input and an Enter handled
   * before the view updated (a paste-and-send tool, a busy phone) leave `draft` behind it.
   */
  private async submit(): Promise<void> {
    if (this.submitting) return;
    this.submitting = true;
    const field = this.field().nativeElement;
    this.draft.set(field.value);
    try {
      await this.submitText(this.text());
    } finally {
      this.submitting = false;
    }
  }

  /**
   * A new message leaves the field in the same step as it is sent. The page emptying `draft` would
   * not reach the field when the view last showed an empty draft too (the input and the Enter were
   * handled before it updated), and a second Enter would send the text still there again.
   */
  private emptyField(): void {
    this.field().nativeElement.value = '';
    this.draft.set('');
  }

  /** Puts back a message the page could not send (a file in the tray failed). */
  restore(text: string): void {
    this.setText(text, text.length);
    this.draft.set(text);
  }

  private async submitText(text: string): Promise<void> {
    if (!this.editing()) {
      // `+:thumbsup:` typed before the emoji data arrived: wait for it rather than send the text.
      if (looksLikeShortcodeReaction(text)) await this.emoji.load().catch(() => undefined);
      const reaction = reactionIn(text, isEmoji, (code) => this.emoji.emojiFor(code));
      if (reaction !== null) {
        this.react.emit(reaction);
        return;
      }
    }
    if (!this.canSend()) return;
    // A `:tada:` typed or pasted before the emoji data arrived is turned into its emoji now.
    if (mayHoldShortcodes(text)) {
      await this.emoji.load().catch(() => undefined);
      text = convertShortcodes(text, (code) => this.emoji.emojiFor(code));
    }
    // An edit stays in the field until it is saved (the page ends the edit then).
    if (!this.editing()) this.emptyField();
    this.send.emit(text);
  }

  /**
   * What the list offers for the trigger. A name or channel typed in full that nothing else
   * starts with has nothing left to complete: no list, so Enter sends `hi @bob` as it is.
   */
  private suggestionsFor(trigger: Trigger): Suggestion[] {
    const offered = this.candidatesFor(trigger);
    const only = offered.length === 1 ? offered[0] : undefined;
    const complete = only && only.kind !== ':' && foldForMatch(only.label) === foldForMatch(trigger.query);
    return complete ? [] : offered;
  }

  private candidatesFor(trigger: Trigger): Suggestion[] {
    const { kind, query } = trigger;
    if (kind === '@') {
      const people = this.sources?.people() ?? [];
      // Members of this channel first, whatever matches better among the others.
      const matches = [
        ...filterByQuery(
          people.filter((person) => person.member),
          query,
          (person) => [person.name],
        ),
        ...filterByQuery(
          people.filter((person) => !person.member),
          query,
          (person) => [person.name],
        ),
      ].slice(0, MAX_SUGGESTIONS);
      return matches.map((person) => ({
        id: person.id,
        kind,
        label: person.name,
        detail: person.member ? (person.online ? 'member, online' : 'member') : 'online, not a member',
        symbol: '',
        insert: `@${person.name}`,
      }));
    }
    if (kind === '#') {
      return filterByQuery(this.sources?.channels() ?? [], query, (channel) => [channel.name]).map(
        (channel) => ({
          id: channel.id,
          kind,
          label: channel.name,
          detail: '',
          symbol: '',
          insert: `#${channel.name}`,
        }),
      );
    }
    const catalog = this.emoji.catalog();
    if (catalog === null || [...query].length < SHORTCODE_MIN_QUERY) return [];
    return searchShortcodes(catalog, query, MAX_SUGGESTIONS).map((entry) => {
      const code =
        entry.shortcodes.find((candidate) => candidate.startsWith(query.toLowerCase())) ??
        entry.shortcodes[0];
      return {
        id: entry.emoji,
        kind,
        label: `:${code}:`,
        detail: entry.name,
        symbol: this.emoji.toned(entry),
        insert: this.emoji.toned(entry),
      };
    });
  }

  /** Writes the field at once (so the caret can be placed) and places the caret again after Angular's write. */
  private setText(text: string, caret: number): void {
    const field = this.field().nativeElement;
    field.value = text;
    field.setSelectionRange(caret, caret);
    afterNextRender(() => field.setSelectionRange(caret, caret), { injector: this.injector });
  }
}
