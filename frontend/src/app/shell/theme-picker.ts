import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ThemeStore, type ThemeChoice } from '../core/theme-store';

const OPTIONS: readonly { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** System / Light / Dark, as one radio group in the sidebar's foot (arrow keys move within it). */
@Component({
  selector: 'app-theme-picker',
  template: `
    <fieldset class="picker">
      <legend class="legend">Theme</legend>
      <div class="options">
        @for (option of options; track option.value) {
          <label class="option" [class.checked]="theme.choice() === option.value">
            <input
              type="radio"
              name="flack-theme"
              [value]="option.value"
              [checked]="theme.choice() === option.value"
              (change)="theme.choose(option.value)"
            />
            {{ option.label }}
          </label>
        }
      </div>
    </fieldset>
  `,
  styles: `
    .picker {
      display: flex;
      align-items: center;
      gap: 10px;
      margin: 0 0 8px;
      padding: 0;
      border: 0;
      min-width: 0;
    }
    .legend {
      float: left;
      padding: 0;
      color: var(--frame-muted);
    }
    .options {
      display: flex;
      padding: 2px;
      border: 1px solid var(--frame-border);
      border-radius: var(--radius);
      background: var(--frame-field);
    }
    .option {
      position: relative;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      min-height: 26px;
      padding: 0 10px;
      border-radius: 6px;
      color: var(--frame-text);
      cursor: pointer;
    }
    .option:hover {
      background: var(--frame-hover);
    }
    .option.checked {
      background: var(--frame-active);
      color: #fff;
      font-weight: 600;
    }
    /* The native radio stays focusable and announced; the label is what shows. */
    input {
      position: absolute;
      inset: 0;
      margin: 0;
      opacity: 0;
      cursor: pointer;
    }
    .option:has(input:focus-visible) {
      outline: 2px solid var(--focus);
      outline-offset: 1px;
    }
    @media (pointer: coarse) {
      .option {
        min-width: 44px;
        min-height: 44px;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ThemePicker {
  protected readonly theme = inject(ThemeStore);
  protected readonly options = OPTIONS;
}
