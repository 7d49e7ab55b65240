import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { UnreadCount } from './unread-store';

/**
 * A channel's (or a folded section's) mentions and unread messages: badges to see, words to hear
 * (", 1 mention, 2 unread" in the link's accessible name).
 */
@Component({
  selector: 'app-unread-badges',
  template: `
    @if (count().mentions > 0) {
      <span class="mentions" aria-hidden="true">&#64;{{ count().mentions }}</span>
      <span class="visually-hidden"
        >, {{ count().mentions }} {{ count().mentions === 1 ? 'mention' : 'mentions' }}</span
      >
    }
    @if (count().unread > 0) {
      <span class="unread" aria-hidden="true">{{ count().unread }}</span>
      <span class="visually-hidden">, {{ count().unread }} unread</span>
    }
  `,
  styles: `
    :host {
      display: contents;
    }

    /* In a section's heading too, the counts keep the list's look, not the heading's capitals. */
    .unread,
    .mentions {
      flex: none;
      min-width: 20px;
      padding: 1px 6px;
      border-radius: 999px;
      font-size: 11px;
      font-weight: 800;
      line-height: 16px;
      letter-spacing: 0;
      text-align: center;
      text-transform: none;
    }

    .unread {
      background: var(--frame-muted);
      color: var(--frame-bg, #1e1b4b);
    }

    /* A mention asks for attention: its own colour, before the count. */
    .mentions {
      background: var(--danger);
      color: var(--on-danger);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UnreadBadges {
  readonly count = input.required<UnreadCount>();
}
