/** Dates and durations in the user's language. */

/**
 * The locale a user's language formats with: Dutch as in the Netherlands, English as in the United Kingdom
 * (day before month, 24-hour clock; bare 'en' would be American with AM/PM).
 */
export function locale(language: string): string {
  if (language.startsWith('en')) return 'en-GB'
  if (language.startsWith('nl')) return 'nl-NL'
  return language
}

export function relativeTime(iso: string, language: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  // Long style ("3 dagen geleden"), the same words as age() beside it, not "3 dgn" next to "3 d".
  const rtf = new Intl.RelativeTimeFormat(locale(language), { numeric: 'auto', style: 'long' })
  const abs = Math.abs(seconds)
  if (abs < 60) return rtf.format(seconds, 'second')
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour')
  if (abs < 86400 * 30) return rtf.format(Math.round(seconds / 86400), 'day')
  return new Date(iso).toLocaleDateString(locale(language))
}

/** How long a ticket has existed: 5 min, 3 uur, 2 dagen (5 min, 3 hours, 2 days). */
export function age(iso: string, language: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60000))
  const nf = (value: number, unit: 'minute' | 'hour' | 'day') =>
    // Hours and days written out, as in relativeTime(); "min" is read the same in both languages.
    new Intl.NumberFormat(locale(language), { style: 'unit', unit, unitDisplay: unit === 'minute' ? 'short' : 'long' }).format(value)
  if (minutes < 60) return nf(minutes, 'minute')
  if (minutes < 60 * 48) return nf(Math.round(minutes / 60), 'hour')
  return nf(Math.round(minutes / 1440), 'day')
}

export function dateTime(iso: string, language: string): string {
  return new Date(iso).toLocaleString(locale(language), { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' })
}

export function date(iso: string, language: string): string {
  return new Date(iso).toLocaleDateString(locale(language), { dateStyle: 'medium' })
}

export function fileSize(bytes: number, language: string): string {
  const nf = new Intl.NumberFormat(locale(language), { maximumFractionDigits: 1 })
  if (bytes < 1024) return `${nf.format(bytes)} B`
  if (bytes < 1024 * 1024) return `${nf.format(bytes / 1024)} KB`
  return `${nf.format(bytes / 1024 / 1024)} MB`
}
