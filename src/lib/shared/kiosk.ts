/**
 * The wall's URL: `?rotate=city,ninh-kieu,cai-rang&dwell=30&kpi=attendance&theme=light&lang=en`.
 * A bad parameter never breaks the wall: it is reported on screen and the rest still applies.
 */
import { KPI_IDS, type KpiId } from './kpi';
import { isTheme, THEMES, type Theme } from './theme';

export const DEFAULT_DWELL_S = 30;
export const MIN_DWELL_S = 5;
export const MAX_DWELL_S = 3600;
/** After someone touches the screen, rotation waits this long before it resumes. */
export const PAUSE_ON_INTERACTION_S = 60;

export interface KioskProblem {
	key: 'rotate.bad' | 'rotate.bad_dwell' | 'theme.bad';
	params: Record<string, string | number>;
}

export interface KioskOptions {
	/** stops of the rotation ('city' or district ids); null when not rotating */
	rotate: string[] | null;
	dwellS: number;
	kpi: KpiId;
	theme: Theme;
	problems: KioskProblem[];
}

export function parseKiosk(params: URLSearchParams, districtIds: readonly string[]): KioskOptions {
	const problems: KioskProblem[] = [];
	let rotate: string[] | null = null;
	const raw = params.get('rotate');
	if (raw !== null) {
		const asked = raw
			.split(',')
			.map((s) => s.trim().toLowerCase())
			.filter(Boolean);
		const ok = asked.filter((id) => id === 'city' || districtIds.includes(id));
		const bad = asked.filter((id) => !ok.includes(id));
		if (bad.length || asked.length === 0)
			problems.push({
				key: 'rotate.bad',
				params: { bad: bad.join(', ') || '""', known: districtIds.join(', ') }
			});
		// `rotate` with nothing usable means the whole tour: the city, then every district
		rotate = ok.length ? ok : ['city', ...districtIds];
	}
	let dwellS = DEFAULT_DWELL_S;
	const d = params.get('dwell');
	if (d !== null) {
		const n = Number(d);
		if (Number.isInteger(n) && n >= MIN_DWELL_S && n <= MAX_DWELL_S) dwellS = n;
		else problems.push({ key: 'rotate.bad_dwell', params: { dwell: DEFAULT_DWELL_S } });
	}
	const k = params.get('kpi');
	const kpi: KpiId = k && (KPI_IDS as readonly string[]).includes(k) ? (k as KpiId) : 'attendance';
	const th = params.get('theme');
	const theme: Theme = th === null || isTheme(th) ? (th ?? 'dark') : 'dark';
	if (th !== null && !isTheme(th))
		problems.push({
			key: 'theme.bad',
			params: { theme: th.slice(0, 40), known: THEMES.join(', ') }
		});
	return { rotate, dwellS, kpi, theme, problems };
}
