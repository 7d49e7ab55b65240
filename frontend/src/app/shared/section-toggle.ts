import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

/**
 * The button that folds a sidebar section: the whole heading row, a chevron that turns (mirrored
 * right to left), and whatever the heading projects (its title, the counts it hides). The host
 * page keeps which sections are folded; this only shows it and says when it is pressed.
 */
@Component({
  selector: 'app-section-toggle',
  template: `
    <button
      type="button"
      class="toggle"
      [attr.aria-expanded]="expanded()"
      [attr.aria-controls]="controls()"
      (click)="toggled.emit()"
    >
      <svg class="chevron" viewBox="0 0 24 24" aria-hidden="true"><path d="M9 6l6 6-6 6" /></svg>
      <ng-content />
    </button>
  `,
  styles: `
    :host {
      display: block;
    }

    .toggle {
      display: flex;
      align-items: center;
      gap: 6px;
      width: 100%;
      min-height: 28px;
      padding: 2px 10px 2px 6px;
      border: 0;
      border-radius: 6px;
      background: transparent;
      color: inherit;
      font: inherit;
      letter-spacing: inherit;
      text-transform: inherit;
      text-align: start;
      cursor: pointer;
    }

    .toggle:hover {
      background: var(--frame-hover);
      color: var(--frame-text);
    }

    .chevron {
      flex: none;
      width: 14px;
      height: 14px;
      fill: none;
      stroke: currentColor;
      stroke-width: 2.5;
      transform: rotate(90deg);
      transition: transform 120ms ease;
    }

    .toggle[aria-expanded='false'] .chevron {
      transform: none;
    }

    :host-context([dir='rtl']) .toggle[aria-expanded='false'] .chevron {
      transform: scaleX(-1);
    }

    @media (prefers-reduced-motion: reduce) {
      .chevron {
        transition: none;
      }
    }

    /* Touch screens: a target of at least 44 px. */
    @media (pointer: coarse) {
      .toggle {
        min-height: 44px;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SectionToggle {
  readonly expanded = input.required<boolean>();
  /** The id of the section body it folds. */
  readonly controls = input.required<string>();
  readonly toggled = output<void>();
}
