import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

const PALETTE_SIZE = 8;

/** A coloured square with the person's initial; the colour is stable per user. */
@Component({
  selector: 'app-avatar',
  template: '{{ initial() }}',
  styleUrl: './avatar.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    'aria-hidden': 'true',
    '[class]': 'colour()',
    '[class.small]': 'size() === "small"',
  },
})
export class Avatar {
  readonly name = input.required<string>();
  /** What the colour is derived from; the name if not given. */
  readonly seed = input<string>();
  readonly size = input<'small' | 'regular'>('regular');

  protected readonly initial = computed(() => [...this.name().trim()][0]?.toUpperCase() ?? '?');
  protected readonly colour = computed(() => `avatar-${hash(this.seed() ?? this.name()) % PALETTE_SIZE}`);
}

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return value;
}
