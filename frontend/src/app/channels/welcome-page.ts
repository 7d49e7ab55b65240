import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  untracked,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { Drawer } from '../core/drawer';
import { SessionStore } from '../core/session-store';
import { ChannelsStore } from './channels-store';

/** How many channels the start page offers; the sidebar lists them all. */
const SUGGESTED_CHANNELS = 6;

/**
 * No channel open. Right after sign-in this sends the person back to the channel they were on;
 * otherwise it tells them what to do next, with focus on the first thing to do (signed in, or just
 * left a channel, focus would otherwise be on <body>).
 */
@Component({
  selector: 'app-welcome-page',
  imports: [RouterLink],
  templateUrl: './welcome-page.html',
  styleUrl: './welcome-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WelcomePage {
  private readonly router = inject(Router);
  protected readonly session = inject(SessionStore);
  protected readonly channels = inject(ChannelsStore);
  protected readonly drawer = inject(Drawer);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly document = inject(DOCUMENT);
  private readonly injector = inject(Injector);

  protected readonly hint = computed(() => {
    if (!this.channels.loaded()) return 'Loading your channels…';
    if (this.channels.channels().length === 0) {
      return 'There are no channels yet. Start the first one: type a name in New channel and press Enter.';
    }
    if (this.channels.joined().length === 0) {
      return 'Pick a channel from the list to join the conversation, or start your own with New channel.';
    }
    return 'Pick one of your channels to catch up, or start a new one with New channel.';
  });

  /** A few channels to go to, with what each is about: the person's own first. */
  protected readonly suggested = computed(() =>
    [...this.channels.joined(), ...this.channels.notJoined()].slice(0, SUGGESTED_CHANNELS),
  );

  constructor() {
    effect(() => {
      if (!this.channels.loaded()) return;
      const last = untracked(() => this.channels.takeChannelToRestore());
      if (last !== null) {
        void this.router.navigate(['/c', last], { replaceUrl: true });
        return;
      }
      afterNextRender(() => this.focusFirstAction(), { injector: this.injector });
    });
  }

  /** The first channel offered (or "Pick a channel"), unless the person already put focus somewhere. */
  private focusFirstAction(): void {
    const focused = this.document.activeElement;
    if (focused !== null && focused !== this.document.body) return;
    this.host.nativeElement.querySelector<HTMLElement>('.suggestion, .browse')?.focus();
  }
}
