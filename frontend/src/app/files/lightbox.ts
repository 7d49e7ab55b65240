import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterNextRender,
  computed,
  input,
  model,
  viewChild,
} from '@angular/core';
import { fileUrl, type FileInfo } from '@flack/contract';
import { fitImage } from './file-format';

/**
 * One message's images, large: a modal `<dialog>` (the page behind is inert, so focus stays in
 * it), Escape or Close closes it, Left and Right go between the images, Download saves the one
 * shown. Focus goes back to the thumbnail that opened it.
 */
@Component({
  selector: 'app-lightbox',
  templateUrl: './lightbox.html',
  styleUrl: './lightbox.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Lightbox {
  readonly images = input.required<readonly FileInfo[]>();
  /** The image shown; null closes the lightbox. */
  readonly index = model.required<number | null>();
  readonly author = input('');

  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly closeButton = viewChild.required<ElementRef<HTMLButtonElement>>('closeButton');
  private readonly returnFocusTo = document.activeElement as HTMLElement | null;

  protected readonly current = computed(() => {
    const index = this.index();
    return index === null ? null : (this.images()[index] ?? null);
  });
  protected readonly src = computed(() => {
    const file = this.current();
    return file ? fileUrl(file.id) : '';
  });
  /** Its size on this screen, known before it loads. */
  protected readonly box = computed(() => {
    const image = this.current()?.image;
    const viewport = { width: window.innerWidth - 32, height: window.innerHeight - 140 };
    return image ? fitImage(image, viewport) : null;
  });
  protected readonly position = computed(() => `${(this.index() ?? 0) + 1} of ${this.images().length}`);

  constructor() {
    afterNextRender(() => {
      this.dialog().nativeElement.showModal();
      this.closeButton().nativeElement.focus();
    });
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'ArrowRight') this.step(1);
    else if (event.key === 'ArrowLeft') this.step(-1);
    else return;
    event.preventDefault();
  }

  protected step(by: number): void {
    const count = this.images().length;
    this.index.update((index) => ((index ?? 0) + by + count) % count);
  }

  /** Escape (the dialog's `cancel`), Close, or a click on the backdrop. */
  protected close(): void {
    const dialog = this.dialog().nativeElement;
    if (dialog.open) dialog.close();
    this.index.set(null);
    if (this.returnFocusTo?.isConnected) this.returnFocusTo.focus();
  }

  protected onBackdrop(event: MouseEvent): void {
    if (event.target === this.dialog().nativeElement) this.close();
  }
}
