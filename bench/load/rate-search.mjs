// Finding the highest send rate a server sustains within the service level: bracket the limit by
// stepping geometrically (up from a passing rate, or down from a failing one), then bisect the
// bracket geometrically. Every trial is a fresh fixed-duration run at one rate, so the answer is a
// rate that actually passed, never an interpolation.

/**
 * @param {(rate: number) => Promise<{ verdict: string }>} trial runs one rate; verdict is 'pass'
 *   or the reason it failed ('latency', 'delivery', 'errors', or 'generator' when the load
 *   generator itself was saturated, which makes the trial untrustworthy)
 * @param {object} options
 * @param {number} options.start first rate to try
 * @param {number} options.growth factor of the first bracketing step (at most 2)
 * @param {number} options.bisections geometric bisections of the bracket
 * @param {number} options.maxTrials hard cap on trials, for the time budget
 * @param {number} options.minRate below this the search gives up (the server fails even at a trickle)
 */
const MAX_STEP = 2;

export async function findMaxRate(trial, { start, growth = 2, bisections = 3, maxTrials = 12, minRate = 1 }) {
  const trials = [];
  let passing = 0;
  let failing = Infinity;
  let failingVerdict = null;
  const attempt = async (rate) => {
    const outcome = await trial(Math.round(rate));
    trials.push(outcome);
    if (outcome.verdict === 'pass') passing = Math.max(passing, Math.round(rate));
    else if (rate < failing) {
      failing = Math.round(rate);
      failingVerdict = outcome.verdict;
    }
    return outcome.verdict === 'pass';
  };

  // Bracket: the first pass/fail boundary in a geometric sequence. The step squares after every
  // step in the same direction (up to x2), so a start far from the limit (a poor prior) costs a
  // few trials rather than the whole budget.
  let rate = start;
  let step = growth;
  const firstPassed = await attempt(rate);
  while (trials.length < maxTrials) {
    rate = firstPassed ? rate * step : rate / step;
    if (rate < minRate) break;
    const passed = await attempt(rate);
    if (passed !== firstPassed) break;
    step = Math.min(MAX_STEP, step * step);
  }

  // Bisect between the highest pass and the lowest failure.
  for (let i = 0; i < bisections && trials.length < maxTrials && passing > 0 && failing < Infinity; i++) {
    const middle = Math.sqrt(passing * failing);
    if (failing - passing <= 1 || Math.round(middle) === passing) break;
    await attempt(middle);
  }

  return {
    maxRate: passing,
    // The lowest failing rate and why it failed: what limits the server (or the instrument).
    firstFailure: failing === Infinity ? null : { rate: failing, verdict: failingVerdict },
    limitedBy: failing === Infinity ? 'search range' : failingVerdict,
    trials,
  };
}
