import { Injectable } from '@nestjs/common';
import type { AppEventHandler, AppEventName, AppEvents } from './app-events.js';

/**
 * The typed in-process event map of immich's `EventRepository`, without the decorators: services
 * register handlers in their constructors, and `emit` runs them one after another and resolves when
 * all are done, so the caller can answer only once every feature has done its part (a failure
 * rejects, and the caller answers with it).
 */
@Injectable()
export class EventBus {
  private readonly handlers = new Map<AppEventName, AppEventHandler<never>[]>();

  on<E extends AppEventName>(event: E, handler: AppEventHandler<E>): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler as AppEventHandler<never>);
    this.handlers.set(event, list);
  }

  async emit<E extends AppEventName>(event: E, payload: AppEvents[E]): Promise<void> {
    const list = this.handlers.get(event) as AppEventHandler<E>[] | undefined;
    if (!list) return;
    for (const handler of list) await handler(payload);
  }
}
