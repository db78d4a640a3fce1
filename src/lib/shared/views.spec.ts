import { describe, expect, it } from 'vitest';
import { parseViewQuery, settingOfWard, viewSearch, withView, type ViewQuery } from './views';

const parse = (s: string) => {
	const r = parseViewQuery(new URLSearchParams(s));
	if (!r.ok) throw new Error(JSON.stringify(r.error));
	return r.value;
};

describe('view state in the URL', () => {
	it('round-trips every field: parse(search(view)) is the view', () => {
		const base = parse('');
		const cases: ViewQuery[] = [
			base,
			withView(base, { kpi: 'uptime', sort: 'uptime', dir: 'asc' }),
			withView(base, {
				level: 'lower_secondary',
				setting: 'rural',
				range: { preset: '30d', compare: true }
			}),
			withView(base, {
				sort: 'name',
				range: { preset: 'custom', from: '2026-10-29', to: '2026-11-02', at: '2026-11-02T08:15' }
			})
		];
		for (const v of cases) expect(parse(viewSearch(v).slice(1))).toEqual(v);
	});

	it('gives one canonical link per view, whatever the order or defaults in the URL', () => {
		const a = viewSearch(parse('dir=asc&kpi=library&sort=status&range=today&level=primary'));
		const b = viewSearch(parse('level=primary&kpi=library&dir=asc'));
		expect(a).toBe(b);
		expect(a).toBe('?kpi=library&dir=asc&level=primary');
		expect(viewSearch(parse(''))).toBe('');
	});

	it('names the parameter and the allowed values when one is wrong', () => {
		const r = parseViewQuery(new URLSearchParams('sort=colour'));
		expect(r).toMatchObject({
			ok: false,
			error: { key: 'view.error.param', params: { name: 'sort', value: 'colour' } }
		});
		expect(parseViewQuery(new URLSearchParams('level=university'))).toMatchObject({
			ok: false,
			error: { params: { name: 'level' } }
		});
		expect(parseViewQuery(new URLSearchParams('range=custom&from=2026-11-02'))).toMatchObject({
			ok: false,
			error: { key: 'range.error.custom_needs_dates' }
		});
	});

	it('tells urban wards from rural communes', () => {
		expect(settingOfWard('Phường An Cư')).toBe('urban');
		expect(settingOfWard('Thị trấn Cờ Đỏ')).toBe('urban');
		expect(settingOfWard('Xã Thới Hưng')).toBe('rural');
	});
});
