import { Injectable, inject, signal } from '@angular/core';
import type { SidebarSection } from '../channels/channel-list';
import { SavedSessions } from '../core/storage';

export type { SidebarSection };

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
