import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { thumbnailUrl } from '@flack/contract';
import { FileAccess } from './file-access';
import { FileIcon } from './file-icon';
import { formatBytes } from './file-format';
import { UploadsStore, type Upload } from './uploads-store';

/**
 * The files picked for the next message in a channel, above the composer: each with its progress,
 * Cancel (or Remove once uploaded), and Retry with the reason when it failed.
 */
@Component({
  selector: 'app-attachment-tray',
  imports: [FileIcon],
  templateUrl: './attachment-tray.html',
  styleUrl: './attachment-tray.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AttachmentTray {
  readonly channel = input.required<string | null>();
  private readonly store = inject(UploadsStore);
  protected readonly uploads = this.store.trayFor(this.channel);
  protected readonly granted = inject(FileAccess).granted;
  protected readonly uploading = computed(() => this.uploads().some((upload) => upload.state !== 'done'));

  protected size(upload: Upload): string {
    return formatBytes(upload.size);
  }

  /** Once uploaded, an image's own thumbnail (its uploader may see it before it is sent). */
  protected thumbnail(upload: Upload): string {
    return upload.info ? thumbnailUrl(upload.info.id) : '';
  }

  protected percent(upload: Upload): number {
    return Math.round(upload.progress * 100);
  }

  protected cancel(upload: Upload): void {
    this.store.cancel(upload.key);
  }

  protected retry(upload: Upload): void {
    this.store.retry(upload.key);
  }
}
