import { describe, expect, it } from 'vitest';
import { plan83Links, plan83Search, type Plan83State } from './links';

const city: Plan83State = { year: 2025, district: null, item: 'multimedia' };
const asked: Plan83State = { year: 2023, district: 'co-do', item: 'smart' };

describe('plan83Search', () => {
	it('leaves the defaults out: the last year, the whole city, multimedia, Vietnamese', () => {
		expect(plan83Search(city, 2025, 'vi')).toBe('');
		expect(plan83Search(city, 2025, 'en')).toBe('?lang=en');
	});
	it('keeps the asked state and changes only what it is told', () => {
		expect(plan83Search(asked, 2025, 'vi')).toBe('?year=2023&district=co-do&item=smart');
		expect(plan83Search(asked, 2025, 'vi', { year: 2025 })).toBe('?district=co-do&item=smart');
		expect(plan83Search(asked, 2025, 'vi', { district: null })).toBe('?year=2023&item=smart');
		expect(plan83Search(asked, 2025, 'en', { item: 'multimedia' })).toBe(
			'?year=2023&district=co-do&lang=en'
		);
	});
	it('names the year of every export, and the item of the missing list', () => {
		expect(plan83Search(city, 2025, 'vi', { table: 'years' })).toBe('?table=years&year=2025');
		expect(plan83Search(city, 2025, 'vi', { table: 'missing' })).toBe(
			'?table=missing&year=2025&item=multimedia'
		);
		expect(plan83Search(asked, 2025, 'en', { table: 'districts' })).toBe(
			'?table=districts&year=2023&district=co-do&item=smart&lang=en'
		);
	});
});

describe('plan83Links', () => {
	it('builds the page, export, wall, district and school links in the language', () => {
		const en = plan83Links(asked, 2025, 'en');
		expect(en.here({ item: 'elibrary' }, '#missing')).toBe(
			'/plan83?year=2023&district=co-do&item=elibrary&lang=en#missing'
		);
		expect(en.csv('targets')).toBe(
			'/plan83/export.csv?table=targets&year=2023&district=co-do&item=smart&lang=en'
		);
		expect(en.wall).toBe('/wall?lang=en');
		expect(en.district('o-mon')).toBe('/districts/o-mon?lang=en');
		expect(en.school('s-1')).toBe('/schools/s-1?lang=en');
		const vi = plan83Links(city, 2025, 'vi');
		expect(vi.here()).toBe('/plan83');
		expect(vi.here({ year: 2024 })).toBe('/plan83?year=2024');
		expect([vi.wall, vi.district('o-mon'), vi.school('s-1')]).toEqual([
			'/wall',
			'/districts/o-mon',
			'/schools/s-1'
		]);
	});
});
