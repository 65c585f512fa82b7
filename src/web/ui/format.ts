/** Dates and durations in the user's language. */
export function relativeTime(iso: string, language: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'short' })
  const abs = Math.abs(seconds)
  if (abs < 60) return rtf.format(seconds, 'second')
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour')
  if (abs < 86400 * 30) return rtf.format(Math.round(seconds / 86400), 'day')
  return new Date(iso).toLocaleDateString(language)
}

/** Age as a compact duration: 5 min, 3 u, 2 d. */
export function age(iso: string, language: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60000))
  const nf = (value: number, unit: 'minute' | 'hour' | 'day') =>
    // "5 min", but "3 u"/"3h" and "2 d"/"2d": short and unambiguous ("m" could be read as metres or months)
    new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: unit === 'minute' ? 'short' : 'narrow' }).format(value)
  if (minutes < 60) return nf(minutes, 'minute')
  if (minutes < 60 * 48) return nf(Math.round(minutes / 60), 'hour')
  return nf(Math.round(minutes / 1440), 'day')
}

export function dateTime(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' })
}

export function fileSize(bytes: number, language: string): string {
  const nf = new Intl.NumberFormat(language, { maximumFractionDigits: 1 })
  if (bytes < 1024) return `${nf.format(bytes)} B`
  if (bytes < 1024 * 1024) return `${nf.format(bytes / 1024)} KB`
  return `${nf.format(bytes / 1024 / 1024)} MB`
}
