/**
 * A value now, or a promise of it later: what a step on a message's way answers when its in-memory
 * store answers at once and its Redis store cannot. Awaiting a value that is already there still
 * costs a promise and a turn of the microtask queue per step, which every message pays several
 * times over (docs/performance.md); `andThen` spares both.
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * `next(value)`: at once when `value` is there, after it settles when it is a promise. A `next`
 * that throws throws at once in the first case and rejects in the second, as `await` would.
 */
export function andThen<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  // Promise.resolve hands a native promise back as it is; any other thenable is adopted.
  return isThenable(value) ? Promise.resolve(value).then(next) : next(value);
}

/** What `await` would wait for: anything with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
