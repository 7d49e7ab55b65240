import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterNextRender,
  computed,
  input,
  model,
  output,
  viewChild,
} from '@angular/core';
import { LIMITS } from '@flack/contract';
import type { AppError } from '../core/app-error';
import { nameProblem } from '../core/text';
import { ErrorAlert } from '../shared/error-alert';

/** The display-name prompt. Enter or Continue submits the trimmed name. */
@Component({
  selector: 'app-login-form',
  imports: [ErrorAlert],
  templateUrl: './login-form.html',
  styleUrl: './login-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginForm {
  readonly name = model('');
  readonly busy = input(false);
  readonly error = input<AppError | null>(null);
  readonly submitted = output<string>();

  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');

  protected readonly maxLength = LIMITS.displayNameMaxLength;
  protected readonly problem = computed(() => nameProblem(this.name(), this.maxLength));

  constructor() {
    afterNextRender(() => this.field().nativeElement.focus());
  }

  protected submit(event: Event): void {
    event.preventDefault();
    const name = this.name().trim();
    if (name === '' || this.busy() || this.problem()) {
      this.field().nativeElement.focus();
      return;
    }
    this.submitted.emit(name);
  }
}
