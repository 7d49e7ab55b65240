import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  input,
  model,
  output,
  viewChild,
} from '@angular/core';
import { LIMITS, countGraphemes, messageTextProblem } from '@flack/contract';

/** Show the count only when it starts to matter. */
const COUNT_FROM = LIMITS.messageMaxLength - 200;

/**
 * The message field: Enter sends the trimmed text, Shift+Enter starts a new line. Arrow Up in an
 * empty field asks to edit the person's last message; while editing, Enter saves and Escape cancels.
 */
@Component({
  selector: 'app-composer',
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

  private readonly field = viewChild.required<ElementRef<HTMLTextAreaElement>>('field');

  protected readonly maxLength = LIMITS.messageMaxLength;
  /** What Send sends. */
  private readonly text = computed(() => this.draft().trim());
  protected readonly length = computed(() => countGraphemes(this.text()));
  /** The server's own rule (contract/src/text.ts), so what this refuses is what the server would. */
  protected readonly problem = computed(() => messageTextProblem(this.text()));
  protected readonly tooLong = computed(() => this.length() > this.maxLength);
  protected readonly showCount = computed(() => this.length() >= COUNT_FROM);
  protected readonly canSend = computed(() => this.problem() === null);

  focus(): void {
    this.field().nativeElement.focus();
  }

  protected onEnter(event: Event): void {
    // Shift+Enter is a new line; Enter while an input method is composing picks a candidate.
    if (!(event instanceof KeyboardEvent) || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.submit();
  }

  protected onArrowUp(event: Event): void {
    if (this.draft() !== '' || this.editing()) return;
    event.preventDefault();
    this.editLast.emit();
  }

  protected onEscape(event: Event): void {
    if (!this.editing()) return;
    // Escape here cancels the edit only, not whatever else Escape does on the page (mark read).
    event.preventDefault();
    event.stopPropagation();
    this.cancelEdit.emit();
  }

  protected onSubmit(event: Event): void {
    event.preventDefault();
    this.submit();
  }

  private submit(): void {
    if (this.canSend()) this.send.emit(this.text());
  }
}
