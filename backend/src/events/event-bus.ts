import { Injectable } from '@nestjs/common';
import { isThenable } from '../common/maybe-promise.js';
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

  /**
   * Runs the handlers in order; the first failure stops the rest and rejects. Answers undefined,
   * nothing to wait for, when every handler finished at once (no promise): as `message.stored`'s
   * do for most messages, on every send.
   */
  emit<E extends AppEventName>(event: E, payload: AppEvents[E]): Promise<void> | undefined {
    return this.runFrom(this.handlersOf(event), 0, payload);
  }

  private runFrom<E extends AppEventName>(
    handlers: AppEventHandler<E>[],
    from: number,
    payload: AppEvents[E],
  ): Promise<void> | undefined {
    for (let i = from; i < handlers.length; i++) {
      let result: void | Promise<void>;
      try {
        result = handlers[i]!(payload);
      } catch (error) {
        return Promise.reject(error);
      }
      if (isThenable(result))
        return Promise.resolve(result).then(() => this.runFrom(handlers, i + 1, payload));
    }
    return undefined;
  }

  /**
   * Runs every handler even if some fail, then rejects with the first failure: for news that each
   * feature must hear whatever happened to another (a socket came or went; the store was away for one).
   */
  async emitToAll<E extends AppEventName>(event: E, payload: AppEvents[E]): Promise<void> {
    let failure: { error: unknown } | undefined;
    for (const handler of this.handlersOf(event)) {
      try {
        await handler(payload);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  private handlersOf<E extends AppEventName>(event: E): AppEventHandler<E>[] {
    return (this.handlers.get(event) ?? []) as AppEventHandler<E>[];
  }
}
