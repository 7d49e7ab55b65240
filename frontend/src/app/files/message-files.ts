import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { fileUrl, thumbnailUrl, type FileInfo } from '@flack/contract';
import { FileAccess } from './file-access';
import { FileIcon } from './file-icon';
import { formatBytes, imageBoxFor, type Box } from './file-format';
import { Lightbox } from './lightbox';

interface ShownImage {
  file: FileInfo;
  box: Box;
  src: string;
}

/**
 * A message's files: images as thumbnails at their known size (no jump while they load) that open
 * in the lightbox, every other file as a card that downloads. Names are text, never markup.
 */
@Component({
  selector: 'app-message-files',
  imports: [FileIcon, Lightbox],
  templateUrl: './message-files.html',
  styleUrl: './message-files.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageFiles {
  readonly files = input.required<readonly FileInfo[]>();
  /** The author's name, for the images' alternative text. */
  readonly author = input('');

  protected readonly granted = inject(FileAccess).granted;
  protected readonly images = computed((): ShownImage[] => {
    const images = this.files().filter((file) => file.image);
    return images.map((file) => ({
      file,
      box: imageBoxFor(file, images.length)!,
      src: thumbnailUrl(file.id),
    }));
  });
  protected readonly others = computed(() => this.files().filter((file) => !file.image));
  /** The image open in the lightbox, by its place among the message's images. */
  protected readonly open = signal<number | null>(null);
  protected readonly lightboxImages = computed(() => this.images().map((image) => image.file));

  protected url(file: FileInfo): string {
    return fileUrl(file.id);
  }

  protected size(file: FileInfo): string {
    return formatBytes(file.size);
  }
}
