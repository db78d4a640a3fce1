/**
 * The Plan 83 page's words and numbers in one language: its strings, counts and shares, and the
 * labels of a district's kind, a target and a list of school levels.
 */
import { t, type Locale, type MessageKey } from '$lib/i18n/dictionary';
import { int, pct } from '$lib/format';

export function plan83Format(locale: Locale) {
	const tr = (k: MessageKey, p?: Record<string, string | number>) => t(locale, k, p);
	return {
		tr,
		/** a count */
		N: (n: number | null) => int(n, locale),
		/** a share, to a tenth of a per cent */
		P: (x: number | null) => pct(x, locale),
		/** a target, in whole per cent */
		P0: (x: number) => pct(x, locale, 0),
		/** a district's kind (urban, rural), or nothing */
		kindLabel: (k: string) =>
			k === 'urban' ? tr('plan83.urban') : k === 'rural' ? tr('plan83.rural') : '',
		/** a target's name */
		targetLabel: (id: string) => tr(`plan.target.${id}` as MessageKey),
		/** schools per level ("30 Tiểu học · 24 THCS · 20 THPT"), levels with none left out */
		levelList: (by: Record<string, number | undefined>) =>
			Object.entries(by)
				.filter(([, n]) => n)
				.map(([l, n]) => `${n} ${tr(`level.${l}` as MessageKey)}`)
				.join(' · ')
	};
}

export type Plan83Format = ReturnType<typeof plan83Format>;
