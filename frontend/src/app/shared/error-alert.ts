import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { describeError, type AppError } from '../core/app-error';

/** A server (or connection) error, announced as it appears. Renders nothing without one. */
@Component({
  selector: 'app-error-alert',
  template: `
    @if (lines(); as lines) {
      <div class="alert" role="alert">
        <strong>{{ lines[0] }}</strong>
        @if (lines.length > 1) {
          <ul>
            @for (line of lines.slice(1); track $index) {
              <li>{{ line }}</li>
            }
          </ul>
        }
      </div>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ErrorAlert {
  readonly error = input<AppError | null>(null);

  protected readonly lines = computed(() => {
    const error = this.error();
    return error ? describeError(error) : null;
  });
}
