import { ChangeDetectionStrategy, Component } from '@angular/core';

/** The Flack mark; decorative, so the text next to it names it. */
@Component({
  selector: 'app-logo',
  template: `
    <svg viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" />
      <path d="M10 22V10h12M10 16h8" />
    </svg>
  `,
  styles: `
    :host {
      display: inline-block;
      flex: none;
      width: 28px;
      height: 28px;
    }
    svg {
      display: block;
      width: 100%;
      height: 100%;
    }
    rect {
      fill: var(--logo-fill, var(--accent));
    }
    path {
      fill: none;
      stroke: var(--accent-text);
      stroke-width: 3.2;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Logo {}
