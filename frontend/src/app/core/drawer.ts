import { Injectable, signal } from '@angular/core';

/** Whether the channel list is open as a drawer (narrow screens only; wide screens always show it). */
@Injectable({ providedIn: 'root' })
export class Drawer {
  private readonly state = signal(false);
  readonly isOpen = this.state.asReadonly();

  open(): void {
    this.state.set(true);
  }

  close(): void {
    this.state.set(false);
  }
}
