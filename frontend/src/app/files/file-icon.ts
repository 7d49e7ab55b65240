import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { fileKind } from './file-format';

/** A small type icon for a file card or a tray item (decorative: the name and size say the rest). */
@Component({
  selector: 'app-file-icon',
  template: `
    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z M14 3v5h5" />
      @switch (kind()) {
        @case ('image') {
          <path d="M8 17l3-4 2 2.5 1.5-1.5L17 17z" />
        }
        @case ('pdf') {
          <path d="M8.5 13h7M8.5 16h5" />
        }
        @case ('text') {
          <path d="M8.5 12h7M8.5 15h7M8.5 18h4" />
        }
        @case ('archive') {
          <path d="M11 6h2M11 9h2M11 12h2v3h-2z" />
        }
        @case ('audio') {
          <path d="M10 17.5a1.5 1.5 0 1 1-1.5-1.5H10V11l5-1v6" />
        }
        @case ('video') {
          <path d="M10 11.5v5l4-2.5z" />
        }
      }
    </svg>
  `,
  styles: `
    :host {
      display: inline-grid;
      place-items: center;
    }
    .icon {
      width: 100%;
      height: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FileIcon {
  readonly type = input.required<string>();
  protected readonly kind = computed(() => fileKind(this.type()));
}
