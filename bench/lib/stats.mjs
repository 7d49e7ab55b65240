// Summaries across repetitions: the median is the figure shown, the spread says how far to trust it.

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `{ median, min, max, values }` of a figure across runs. */
export function summarize(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  return {
    median: median(finite),
    min: finite.length ? Math.min(...finite) : null,
    max: finite.length ? Math.max(...finite) : null,
    values,
  };
}

export function ratio(flack, baseline) {
  return Number.isFinite(flack) && Number.isFinite(baseline) && baseline !== 0 ? flack / baseline : null;
}
