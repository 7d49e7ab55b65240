// Timestamps arrive as ISO 8601 UTC and are shown in the reader's own time zone and locale.

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const dayWithYearFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

/** "14:05" or "2:05 PM", as the reader's locale writes it. */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/** For the tooltip: the whole date and time. */
export function formatFullTime(iso: string): string {
  return fullFormat.format(new Date(iso));
}

/** A key that changes when the local calendar day does. */
export function localDayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** "Today", "Yesterday", "Monday, June 3", or with the year when it is not this year. */
export function formatDay(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (localDayKey(iso) === localDayKey(now.toISOString())) return 'Today';
  if (localDayKey(iso) === localDayKey(yesterday.toISOString())) return 'Yesterday';
  return date.getFullYear() === now.getFullYear() ? dayFormat.format(date) : dayWithYearFormat.format(date);
}
