import { Injectable, inject, signal } from '@angular/core';
import { SavedSessions } from '../core/storage';

/** The sidebar's foldable sections. */
export type SidebarSection = 'channels' | 'direct-messages' | 'online';

/**
 * Which sidebar sections are folded away. Remembered in this browser (core/storage.ts), so a
 * person with 40 direct conversations folds them once.
 */
@Injectable({ providedIn: 'root' })
export class SidebarSections {
  private readonly saved = inject(SavedSessions);
  private readonly collapsed = signal<ReadonlySet<string>>(new Set(this.saved.collapsedSections()));

  isCollapsed(section: SidebarSection): boolean {
    return this.collapsed().has(section);
  }

  toggle(section: SidebarSection): void {
    const next = new Set(this.collapsed());
    if (!next.delete(section)) next.add(section);
    this.collapsed.set(next);
    this.saved.saveCollapsedSections([...next]);
  }
}
