/**
 * Resolves with `value` in a task of its own, so that what follows runs after the browser had a
 * chance to paint and handle input. A phone spends 50-150 ms evaluating a page's code and as much
 * building the page; in one task that blocks taps for the sum (Lighthouse's "total blocking time").
 */
export function inNextTask<T>(value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value)));
}
