/** Numbers, times and ages on screens, in the screen's language and Vietnam time. */
import type { Locale } from './i18n/dictionary';

const TZ = 'Asia/Ho_Chi_Minh';
const tag = (l: Locale) => (l === 'vi' ? 'vi-VN' : 'en-GB');

/**
 * Formatters made once per locale and shape: building an `Intl` formatter costs tens of µs, and a
 * district page formats thousands of numbers (a CPU profile of the server at 5,000 schools had
 * `pct` first, making a NumberFormat per call).
 */
const made = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function once<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
	let f = made.get(key) as F | undefined;
	if (!f) made.set(key, (f = make()));
	return f;
}
const numberFormat = (locale: Locale, shape: string, o: Intl.NumberFormatOptions) =>
	once(`n|${locale}|${shape}`, () => new Intl.NumberFormat(tag(locale), o));
const dateFormat = (locale: Locale, shape: string, o: Intl.DateTimeFormatOptions) =>
	once(`d|${locale}|${shape}`, () => new Intl.DateTimeFormat(tag(locale), { timeZone: TZ, ...o }));

/** 0.9432 → "94,3 %" (vi) / "94.3%" (en); null → "—". */
export function pct(v: number | null | undefined, locale: Locale, digits = 1): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return '—';
	return numberFormat(locale, `pct${digits}`, {
		style: 'percent',
		minimumFractionDigits: digits,
		maximumFractionDigits: digits
	}).format(v);
}

/** Percentage points between two ratios: +1,2 đ / +1.2 pts. */
export function points(delta: number, locale: Locale): string {
	const n = numberFormat(locale, 'points', {
		minimumFractionDigits: 1,
		maximumFractionDigits: 1,
		signDisplay: 'always'
	}).format(delta * 100);
	return locale === 'vi' ? `${n} điểm` : `${n} pts`;
}

export function int(v: number | null | undefined, locale: Locale): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return '—';
	return numberFormat(locale, 'int', { maximumFractionDigits: 0 }).format(v);
}

/** "14:03:27" in Vietnam time. */
export function clock(ms: number | string | null, locale: Locale, seconds = true): string {
	if (ms === null) return '—';
	const d = typeof ms === 'string' ? new Date(ms) : new Date(ms);
	return dateFormat(locale, seconds ? 'clock-s' : 'clock', {
		hour: '2-digit',
		minute: '2-digit',
		second: seconds ? '2-digit' : undefined,
		hour12: false
	}).format(d);
}

/** "Thứ Sáu, 27/11/2026". */
export function longDay(isoDay: string, locale: Locale): string {
	const d = new Date(`${isoDay}T12:00:00+07:00`);
	return dateFormat(locale, 'long-day', {
		weekday: 'long',
		day: '2-digit',
		month: '2-digit',
		year: 'numeric'
	}).format(d);
}

/** "12 giây" / "3 phút" / "2 giờ" — how old something is. */
export function age(ms: number, locale: Locale): string {
	const s = Math.max(0, Math.round(ms / 1000));
	const u =
		locale === 'vi'
			? { s: 'giây', m: 'phút', h: 'giờ', d: 'ngày' }
			: { s: 's', m: 'min', h: 'h', d: 'd' };
	const sep = locale === 'vi' ? ' ' : ' ';
	if (s < 60) return `${s}${sep}${u.s}`;
	if (s < 3600) return `${Math.floor(s / 60)}${sep}${u.m}`;
	if (s < 86400) return `${Math.floor(s / 3600)}${sep}${u.h}`;
	return `${Math.floor(s / 86400)}${sep}${u.d}`;
}

/**
 * "26/11": the calendar date of a day that began at `dayStartIso`, on the calendar whose day
 * `today` (yyyy-mm-dd) began at `todayStartIso`. With the demo clock days begin at a shifted
 * wall-clock time; the shift cancels out here.
 */
export function dayMonthOf(dayStartIso: string, todayStartIso: string, today: string): string {
	const shift = Date.parse(todayStartIso) - Date.parse(`${today}T00:00:00+07:00`);
	const local = new Date(Date.parse(dayStartIso) - shift + 7 * 3600_000);
	return `${String(local.getUTCDate()).padStart(2, '0')}/${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** A moment as local (Vietnam) date and time, or '—' for 0/none. */
export function dateTime(ms: number | null | undefined, locale: Locale): string {
	if (!ms) return '—';
	return dateFormat(locale, 'date-time', {
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric'
	}).format(ms);
}

/** A moment as local (Vietnam) date and time to the minute: "08:00 05/11/2026" / "05/11/2026, 08:00". */
export function dateMinute(ms: number, locale: Locale): string {
	return dateFormat(locale, 'date-minute', {
		day: '2-digit',
		month: '2-digit',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	}).format(ms);
}
