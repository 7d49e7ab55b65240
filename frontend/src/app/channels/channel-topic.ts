import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { topicProblem, type Channel } from '@flack/contract';
import type { AppError } from '../core/app-error';
import { ErrorAlert } from '../shared/error-alert';
import { ChannelsStore } from './channels-store';

/**
 * The topic in the chat page's header: one line (the whole of it on hover or focus), and for the
 * members who see it there an "Edit topic" button that turns it into a field: Enter saves, Escape
 * cancels, a refusal is shown beside the field. Live changes arrive through the ChannelsStore.
 */
@Component({
  selector: 'app-channel-topic',
  imports: [ErrorAlert],
  templateUrl: './channel-topic.html',
  styleUrl: './channel-topic.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelTopic {
  readonly channel = input.required<Channel>();

  private readonly channels = inject(ChannelsStore);
  private readonly injector = inject(Injector);
  private readonly field = viewChild<ElementRef<HTMLInputElement>>('field');
  private readonly editButton = viewChild<ElementRef<HTMLButtonElement>>('editButton');

  protected readonly topic = computed(() => this.channel().topic ?? null);
  protected readonly editing = signal(false);
  protected readonly draft = signal('');
  protected readonly saving = signal(false);
  protected readonly error = signal<AppError | null>(null);
  /** The contract's rule, so the field refuses what the server would, in the same words. */
  protected readonly problem = computed(() => topicProblem(this.draft()));

  constructor() {
    // Another channel opened: whatever was being typed belonged to the last one.
    const channelId = computed(() => this.channel().id);
    effect(() => {
      channelId();
      untracked(() => this.close(false));
    });
  }

  protected startEditing(): void {
    this.draft.set(this.topic() ?? '');
    this.error.set(null);
    this.editing.set(true);
    afterNextRender(
      () => {
        const field = this.field()?.nativeElement;
        field?.focus();
        field?.select();
      },
      { injector: this.injector },
    );
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    if (this.saving() || this.problem()) return;
    this.saving.set(true);
    const channelId = this.channel().id;
    const error = await this.channels.setTopic(channelId, this.draft());
    this.saving.set(false);
    // Answered after a switch to another channel: nothing on screen to update.
    if (channelId !== this.channel().id) return;
    if (error) this.error.set(error);
    else this.close(true);
  }

  protected cancel(event?: Event): void {
    event?.preventDefault();
    // Escape here closes the field, not the drawer or dialog around it.
    event?.stopPropagation();
    this.close(true);
  }

  private close(refocus: boolean): void {
    const wasEditing = this.editing();
    this.editing.set(false);
    this.error.set(null);
    if (refocus && wasEditing) {
      afterNextRender(() => this.editButton()?.nativeElement.focus(), { injector: this.injector });
    }
  }
}
