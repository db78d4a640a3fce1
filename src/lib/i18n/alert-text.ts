/**
 * An alert's words in a reader's language: its detail (from the key and values the evaluator
 * kept) and the notes the system writes on its transitions. Alerts stored before the key was kept
 * show their English detail as it was.
 */
import { detailArgsOf, type AlertAction } from '../shared/alerts';
import { t, type Locale, type MessageKey } from './dictionary';
import { dateTime, int, pct } from '../format';

const RATIOS = new Set(['value', 'below']);

/** The detail line of an alert, in `locale`. */
export function alertDetail(a: { detail: string; detail_args?: string }, locale: Locale): string {
	const args = detailArgsOf(a.detail_args ?? '');
	if (!args) return a.detail;
	const params: Record<string, string> = {};
	for (const [k, v] of Object.entries(args.p))
		params[k] =
			typeof v !== 'number'
				? String(v)
				: RATIOS.has(k)
					? pct(v, locale)
					: k === 'since'
						? dateTime(v, locale)
						: int(v, locale);
	return t(locale, `alert.detail.${args.key}` as MessageKey, params);
}

/** A history line's note, in `locale`: the system's own notes are translated, a person's are theirs. */
export function alertNote(
	e: { action: AlertAction; actor: string; note: string },
	locale: Locale,
	alert?: { detail: string; detail_args?: string }
): string {
	if (e.actor !== 'system') return e.note;
	if (e.action === 'fired' && alert) return alertDetail(alert, locale);
	if (e.note === 'the condition cleared') return t(locale, 'alert.note.cleared');
	if (e.note === 'the rule was turned off') return t(locale, 'alert.note.rule_off');
	const esc = /^not acknowledged within (\d+) min$/.exec(e.note);
	if (esc) return t(locale, 'alert.note.escalated', { minutes: esc[1] });
	return e.note;
}
