import { describe, expect, it } from 'vitest';
import { parseKiosk } from './kiosk';

const ids = ['ninh-kieu', 'cai-rang', 'co-do'];
const p = (q: string) => parseKiosk(new URLSearchParams(q), ids);

describe('parseKiosk', () => {
	it('takes the rotation and dwell as given', () => {
		expect(p('rotate=city,ninh-kieu,cai-rang&dwell=12')).toEqual({
			rotate: ['city', 'ninh-kieu', 'cai-rang'],
			dwellS: 12,
			kpi: 'attendance',
			theme: 'dark',
			problems: []
		});
	});
	it('is not rotating without `rotate`, and defaults the dwell to 30 s', () => {
		expect(p('')).toMatchObject({ rotate: null, dwellS: 30, problems: [] });
	});
	it('names unknown districts, keeps the known ones', () => {
		const r = p('rotate=city,atlantis,co-do');
		expect(r.rotate).toEqual(['city', 'co-do']);
		expect(r.problems).toEqual([
			{ key: 'rotate.bad', params: { bad: 'atlantis', known: ids.join(', ') } }
		]);
	});
	it('tours everything when nothing in `rotate` is usable', () => {
		expect(p('rotate=%3Cscript%3E').rotate).toEqual(['city', ...ids]);
	});
	it('refuses an absurd dwell with a message and uses the default', () => {
		for (const d of ['0', '-5', '1e9', 'abc', '2.5']) {
			const r = p(`dwell=${d}`);
			expect(r.dwellS).toBe(30);
			expect(r.problems[0].key).toBe('rotate.bad_dwell');
		}
	});
	it('selects a known KPI for the map, else attendance', () => {
		expect(p('kpi=uptime').kpi).toBe('uptime');
		expect(p('kpi=drop table').kpi).toBe('attendance');
	});
	it('takes a known theme, and names a bad one while staying dark', () => {
		expect(p('theme=light')).toMatchObject({ theme: 'light', problems: [] });
		const r = p('theme=%3Cb%3Eneon');
		expect(r.theme).toBe('dark');
		expect(r.problems).toEqual([
			{ key: 'theme.bad', params: { theme: '<b>neon', known: 'dark, light' } }
		]);
	});
});
