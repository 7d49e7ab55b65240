import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { AppUpdates } from '../core/app-updates';

/**
 * "A new version of Flack is ready": shown, without blocking anything, once the service worker
 * has a newer build than the one on screen (core/app-updates.ts). Reload moves to it; Later puts
 * it off until the next one. Shown by the sign-in page and the signed-in frame.
 */
@Component({
  selector: 'app-update-prompt',
  template: `
    @if (updates.ready()) {
      <div class="update" role="status">
        <span class="text">A new version of Flack is ready.</span>
        <span class="actions">
          <button type="button" class="button button-primary" (click)="updates.reload()">Reload</button>
          <button type="button" class="button button-secondary" (click)="updates.later()">Later</button>
        </span>
      </div>
    }
  `,
  styles: `
    .update {
      position: fixed;
      z-index: 50;
      inset-inline: 0;
      /* Below the top bar, over the channel's header: the composer stays free. */
      top: calc(60px + env(safe-area-inset-top));
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px 16px;
      width: max-content;
      max-width: calc(100% - 24px);
      margin: 0 auto;
      padding: 10px 12px 10px 16px;
      border: 1px solid var(--border-strong);
      border-radius: var(--radius-lg);
      background: var(--bg);
      color: var(--text);
      box-shadow: var(--shadow);
      font-size: 14px;
    }
    .text {
      font-weight: 600;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
    @media (pointer: coarse) {
      .button {
        min-width: 44px;
        min-height: 44px;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UpdatePrompt {
  protected readonly updates = inject(AppUpdates);

  constructor() {
    // Every page has one (the sign-in page, the signed-in frame), so the first one drawn starts the
    // service worker; its code stays out of the initial bundle (core/app-updates.ts).
    this.updates.start();
  }
}
