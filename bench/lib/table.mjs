// One plain-text table for the whole run: a row per figure, Flack and baseline side by side.

const COLUMNS = [
  { title: 'Scenario', width: 20 },
  { title: 'Figure', width: 38 },
  { title: 'Flack', width: 16, right: true },
  { title: 'Baseline', width: 16, right: true },
  { title: 'Flack/base', width: 12, right: true },
  { title: 'Target', width: 16 },
];

const pad = (text, { width, right }) => (right ? text.padStart(width) : text.padEnd(width));

export function renderTable(rows) {
  const line = (cells) =>
    cells
      .map((cell, i) => pad(cell ?? '', COLUMNS[i]))
      .join('  ')
      .trimEnd();
  const out = [line(COLUMNS.map((c) => c.title)), line(COLUMNS.map((c) => '-'.repeat(c.width)))];
  let previous = null;
  for (const row of rows) {
    if (row.separator) {
      out.push('');
      continue;
    }
    // The scenario name only on its first row keeps the groups readable.
    const scenario = row.scenario === previous ? '' : row.scenario;
    previous = row.scenario;
    out.push(line([scenario, row.figure, row.flack, row.baseline, row.ratio, row.target]));
  }
  return out.join('\n');
}

export const fmt = {
  int: (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-'),
  num: (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '-'),
  ms: (v) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : '-'),
  pct: (v) => (Number.isFinite(v) ? `${Math.round(v * 100)}%` : '-'),
  ratio: (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : '-'),
  kb: (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1000).toFixed(1)} kB` : '-'),
  /** Median with the spread across repetitions, e.g. `9,400 ±3%`. */
  spread: (summary, format) => {
    const text = format(summary.median);
    if (!Number.isFinite(summary.median) || summary.values.length < 2 || summary.median === 0) return text;
    const half = (summary.max - summary.min) / 2 / Math.abs(summary.median);
    return `${text} ±${Math.round(half * 100)}%`;
  },
};

/** `≥0.95x ✓` / `≥0.95x ✗`, or just the target when a side is missing. */
export function verdict(target, value, passes) {
  if (!Number.isFinite(value)) return target;
  return `${target} ${passes(value) ? 'ok' : 'MISS'}`;
}
