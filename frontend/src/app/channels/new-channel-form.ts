import { ChangeDetectionStrategy, Component, computed, input, model, output } from '@angular/core';
import { LIMITS } from '@flack/contract';
import type { AppError } from '../core/app-error';
import { nameProblem } from '../core/text';
import { ErrorAlert } from '../shared/error-alert';

/** Inline channel creation: Enter (or the + button) asks to create the trimmed name. */
@Component({
  selector: 'app-new-channel-form',
  imports: [ErrorAlert],
  templateUrl: './new-channel-form.html',
  styleUrl: './new-channel-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewChannelForm {
  readonly name = model('');
  readonly busy = input(false);
  readonly error = input<AppError | null>(null);
  readonly create = output<string>();

  protected readonly problem = computed(() => nameProblem(this.name(), LIMITS.channelNameMaxLength));

  protected submit(event: Event): void {
    event.preventDefault();
    const name = this.name().trim();
    if (name !== '' && !this.busy() && !this.problem()) this.create.emit(name);
  }
}
