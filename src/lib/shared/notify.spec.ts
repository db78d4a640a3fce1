import { describe, expect, it } from 'vitest';
import { checkSettings, checkWebhook, inQuiet, minutesToQuietEnd, wants } from './notify';

const districts = new Set(['ninh-kieu', 'co-do']);
const raw = {
	channels: ['email'],
	districts: ['ninh-kieu'],
	severities: ['alert'],
	quiet_from: '',
	quiet_to: '',
	locale: 'vi',
	on_resolve: false
};
const fields = (r: ReturnType<typeof checkSettings>) => (r.ok ? [] : r.errors.map((e) => e.field));

describe('notification settings', () => {
	it('takes good settings and refuses bad ones naming the field', () => {
		expect(checkSettings(raw, districts)).toMatchObject({ ok: true, value: { quiet: null } });
		expect(fields(checkSettings({ ...raw, districts: ['atlantis'] }, districts))).toEqual([
			'districts'
		]);
		expect(fields(checkSettings({ ...raw, channels: ['sms'] }, districts))).toEqual(['channels']);
		expect(fields(checkSettings({ ...raw, severities: ['panic'] }, districts))).toEqual([
			'severities'
		]);
		expect(fields(checkSettings({ ...raw, severities: [] }, districts))).toEqual(['severities']);
		expect(
			fields(checkSettings({ ...raw, quiet_from: '25:00', quiet_to: '06:00' }, districts))
		).toEqual(['quiet_from']);
		expect(fields(checkSettings({ ...raw, quiet_from: '22:00' }, districts))).toEqual(['quiet_to']);
		expect(
			fields(checkSettings({ ...raw, quiet_from: '22:00', quiet_to: '22:00' }, districts))
		).toEqual(['quiet_to']);
		expect(
			fields(
				checkSettings(
					{ ...raw, quiet_from: "'; DROP TABLE users;--", quiet_to: '06:00' },
					districts
				)
			)
		).toEqual(['quiet_from']);
		expect(fields(checkSettings({ ...raw, locale: 'fr' }, districts))).toEqual(['locale']);
	});

	it('quiet hours may wrap midnight', () => {
		const q = { from: '22:00', to: '06:30' };
		expect(inQuiet(q, 23 * 60)).toBe(true);
		expect(inQuiet(q, 3 * 60)).toBe(true);
		expect(inQuiet(q, 6 * 60 + 30)).toBe(false);
		expect(inQuiet(q, 12 * 60)).toBe(false);
		expect(minutesToQuietEnd(q, 23 * 60)).toBe(7 * 60 + 30);
		expect(minutesToQuietEnd(q, 12 * 60)).toBe(0);
		expect(inQuiet({ from: '12:00', to: '13:30' }, 12 * 60 + 10)).toBe(true);
		expect(inQuiet(null, 0)).toBe(false);
	});

	it('webhooks: http(s) only, no credentials, no markup in the name', () => {
		const w = {
			label: 'IOC',
			url: 'https://ioc.cantho.gov.vn/hook',
			districts: [],
			severities: ['alert' as const],
			on_resolve: false
		};
		expect(checkWebhook(w, districts).ok).toBe(true);
		const bad = (o: object) => {
			const r = checkWebhook({ ...w, ...o }, districts);
			return r.ok ? [] : r.errors.map((e) => e.field);
		};
		expect(bad({ url: 'ftp://ioc.cantho.gov.vn/' })).toEqual(['url']);
		expect(bad({ url: 'javascript:alert(1)' })).toEqual(['url']);
		expect(bad({ url: 'not a url' })).toEqual(['url']);
		expect(bad({ url: 'https://user:pw@ioc.cantho.gov.vn/' })).toEqual(['url']);
		expect(bad({ label: '<script>alert(1)</script>' })).toEqual(['label']);
		expect(bad({ districts: ['atlantis'] })).toEqual(['districts']);
	});

	it('who wants a transition', () => {
		const sub = { districts: ['ninh-kieu'], severities: ['alert' as const], on_resolve: false };
		const t = { action: 'fired' as const, district_id: 'ninh-kieu', severity: 'alert' as const };
		expect(wants(sub, t)).toBe(true);
		expect(wants(sub, { ...t, district_id: 'co-do' })).toBe(false);
		expect(wants(sub, { ...t, district_id: '' })).toBe(true); // city-wide
		expect(wants(sub, { ...t, severity: 'watch' })).toBe(false);
		expect(wants(sub, { ...t, action: 'resolved' })).toBe(false);
		expect(wants({ ...sub, on_resolve: true }, { ...t, action: 'resolved' })).toBe(true);
		expect(wants(sub, { ...t, action: 'acknowledged' })).toBe(false);
	});
});
