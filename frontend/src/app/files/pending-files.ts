import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { formatBytes } from './file-format';
import { UploadsStore } from './uploads-store';

/** What an unsent message's attachment looks like here (chat/outbox.ts `OutboxAttachment`). */
export interface PendingAttachment {
  upload: string;
  name: string;
  size: number;
  /** Set once uploaded (kept across a reload). */
  file?: unknown;
}

/** An unsent message's files: each with how far its upload is (or that it is no longer in memory). */
@Component({
  selector: 'app-pending-files',
  template: `
    <ul class="pending">
      @for (item of items(); track item.upload) {
        <li class="pending-item">
          <span class="pending-name" dir="auto">{{ item.name }}</span>
          <span class="pending-state">{{ item.state }}</span>
        </li>
      }
    </ul>
  `,
  styles: `
    .pending {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      margin: 4px 0 0;
      padding: 0;
      list-style: none;
      font-size: 13px;
      color: var(--text-muted);
    }
    .pending-item {
      display: flex;
      gap: 6px;
      min-width: 0;
      max-width: 100%;
    }
    .pending-name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: var(--text);
    }
    .pending-state {
      flex: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PendingFiles {
  readonly attachments = input.required<readonly PendingAttachment[]>();
  private readonly uploads = inject(UploadsStore);

  protected readonly items = computed(() => {
    this.uploads.uploads();
    return this.attachments().map((attachment) => {
      const upload = this.uploads.byKey(attachment.upload);
      const size = formatBytes(attachment.size);
      const state = attachment.file
        ? `${size}, uploaded`
        : !upload
          ? `${size}, not kept`
          : upload.state === 'done'
            ? `${size}, uploaded`
            : upload.state === 'failed'
              ? `${size}, not uploaded`
              : `${size}, ${Math.round(upload.progress * 100)}%`;
      return { upload: attachment.upload, name: attachment.name, state };
    });
  });
}
