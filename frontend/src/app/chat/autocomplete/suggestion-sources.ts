import type { Signal } from '@angular/core';

export interface PersonOption {
  id: string;
  name: string;
  /** A member of the channel being written in: listed before everyone else. */
  member: boolean;
  online: boolean;
}

export interface ChannelOption {
  id: string;
  name: string;
}

/**
 * Who and what the composer's `@` and `#` offer. chat/ may not read the people and channels
 * stores (a feature builds on core/ only), so the page that shows the composer provides this
 * (shell/composer-suggestions.ts); without a provider the lists are empty and `:` still works.
 */
export abstract class ComposerSuggestions {
  /** Members of the channel first, then other people online; the person writing left out. */
  abstract readonly people: Signal<readonly PersonOption[]>;
  /** Channels (not direct conversations), joined ones first. */
  abstract readonly channels: Signal<readonly ChannelOption[]>;
}
