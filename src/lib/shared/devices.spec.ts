import { describe, expect, it } from 'vitest';
import { devicesOf } from './devices';
import type { School } from './registry';

const school = (over: Partial<School>): School => ({
	school_id: 'ct-916-001',
	name: 'Trường THCS Thử',
	area_id: 'ninh-kieu',
	ward: '',
	levels: ['lower_secondary'],
	lat: 10.03,
	lon: 105.78,
	enrolment: 900,
	classrooms: 24,
	multimedia_rooms: 2,
	smart_rooms: 1,
	devices: 8,
	elibrary: true,
	elibrary_year: null,
	multimedia_year: null,
	smart_year: null,
	plan83: false,
	synthetic: true,
	...over
});

describe('devicesOf', () => {
	it('gives each room its device, then PCs, with stable ids', () => {
		const list = devicesOf(school({}));
		expect(list).toHaveLength(8);
		expect(list.map((d) => d.device_id)).toEqual(
			['01', '02', '03', '04', '05', '06', '07', '08'].map((n) => `ct-916-001-d${n}`)
		);
		expect(list[0]).toMatchObject({
			room: 'Phòng học thông minh 1',
			device_kind: 'interactive_board'
		});
		expect(list.slice(1, 3).map((d) => d.room)).toEqual([
			'Phòng đa phương tiện 1',
			'Phòng đa phương tiện 2'
		]);
		for (const d of list.slice(1, 3)) expect(['projector', 'smart_tv']).toContain(d.device_kind);
		expect(list[3]).toMatchObject({ room: 'Thư viện điện tử', device_kind: 'library_kiosk' });
		expect(list.slice(4).every((d) => d.device_kind === 'pc' && d.room === 'Phòng tin học')).toBe(
			true
		);
	});

	it('is deterministic', () => {
		expect(devicesOf(school({ multimedia_rooms: 9, devices: 12 }))).toEqual(
			devicesOf(school({ multimedia_rooms: 9, devices: 12 }))
		);
	});

	it('mixes projectors and smart TVs across multimedia rooms', () => {
		const kinds = new Set(
			devicesOf(school({ smart_rooms: 0, multimedia_rooms: 9, devices: 9, elibrary: false })).map(
				(d) => d.device_kind
			)
		);
		expect(kinds).toEqual(new Set(['projector', 'smart_tv']));
	});

	it('cuts the list when the school reports fewer devices than rooms', () => {
		const list = devicesOf(school({ smart_rooms: 3, multimedia_rooms: 3, devices: 4 }));
		expect(list).toHaveLength(4);
		expect(list.slice(0, 3).every((d) => d.device_kind === 'interactive_board')).toBe(true);
		expect(list[3].room).toBe('Phòng đa phương tiện 1');
		expect(list.some((d) => d.device_kind === 'library_kiosk')).toBe(false);
	});

	it('has no devices when none are reported', () => {
		expect(devicesOf(school({ devices: 0 }))).toEqual([]);
	});

	it('numbers computer rooms when one is not enough, and ids past 99', () => {
		const list = devicesOf(
			school({ smart_rooms: 0, multimedia_rooms: 0, elibrary: false, devices: 120 })
		);
		expect(list).toHaveLength(120);
		expect(new Set(list.map((d) => d.room))).toEqual(
			new Set(['Phòng tin học 1', 'Phòng tin học 2', 'Phòng tin học 3'])
		);
		expect(list[119].device_id).toBe('ct-916-001-d120');
		expect(new Set(list.map((d) => d.device_id)).size).toBe(120);
	});
});
