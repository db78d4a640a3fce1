/**
 * Static, seed-independent facts about a school: its classes and devices.
 */
import { TELEMETRY_KINDS, subjectFor, type TelemetryKind } from '#shared/contract';
import { devicesOf, type DeviceInfo } from '#shared/devices';
import type { School, SchoolLevel } from '#shared/registry';
import { hashStr, u01 } from '../random';
import { S } from './seed';

export interface ClassInfo {
	/** as shown: "6A1", "Lá 2" */
	name: string;
	/** ASCII, for event ids: "6a1", "la2" */
	code: string;
	grade: number;
	level: SchoolLevel;
	size: number;
	/** which session(s) the class reports */
	shift: 'morning' | 'afternoon' | 'both' | 'full_day';
}

export interface DeviceSim extends DeviceInfo {
	h: number;
	/** device id as used inside event ids (shortened with the school id) */
	did: string;
	/** second of the minute this device's heartbeat goes out */
	sec: number;
	source: string;
	hbPrefix: string;
	chgPrefix: string;
}

export interface StaticInfo {
	school: School;
	h: number;
	/** school id as used inside event ids (shortened by hash when very long) */
	sid: string;
	classes: ClassInfo[];
	devices: DeviceSim[];
	gradesTaught: number;
	subjects: Record<TelemetryKind, string>;
}

const PRESCHOOL_GROUPS = [
	{ name: 'Nhà trẻ', code: 'nt', w: 0.6 },
	{ name: 'Mầm', code: 'mam', w: 1 },
	{ name: 'Chồi', code: 'choi', w: 1 },
	{ name: 'Lá', code: 'la', w: 1 }
];
const CLASS_SIZE: Record<SchoolLevel, number> = {
	preschool: 28,
	primary: 35,
	lower_secondary: 38,
	upper_secondary: 40
};
const GRADES: Record<SchoolLevel, number[]> = {
	preschool: [0],
	primary: [1, 2, 3, 4, 5],
	lower_secondary: [6, 7, 8, 9],
	upper_secondary: [10, 11, 12]
};
const LETTERS = 'ABCDEFGHIKLMNOPQRSTUVXY';
const DEVICE_SOURCE: Record<DeviceInfo['device_kind'], string> = {
	interactive_board: 'board-fw-4.2',
	projector: 'proj-agent-2.3',
	smart_tv: 'tv-agent-1.6',
	pc: 'pc-agent-3.1',
	library_kiosk: 'kiosk-fw-2.1'
};

/** Classes of a school, derived from its levels and enrolment (~35 pupils a class). */
export function classesOf(school: School): ClassInfo[] {
	const E = school.enrolment;
	if (E <= 0) return [];
	const h = hashStr(school.school_id);
	const groups: { level: SchoolLevel; grade: number; name: string; code: string; w: number }[] = [];
	for (const level of school.levels) {
		if (level === 'preschool')
			for (const g of PRESCHOOL_GROUPS)
				groups.push({ level, grade: 0, name: g.name, code: g.code, w: g.w });
		else
			for (const grade of GRADES[level])
				groups.push({ level, grade, name: String(grade), code: String(grade), w: 1 });
	}
	const totalW = groups.reduce((s, g) => s + g.w, 0);
	const perLevel = new Map<SchoolLevel, ClassInfo[]>();
	for (const g of groups) {
		const n = Math.max(
			1,
			Math.round(
				((E * g.w) / totalW) * (0.92 + 0.16 * u01(h, S.gradeJitter, g.grade + 1, hashStr(g.code)))
			)
		);
		const size = CLASS_SIZE[g.level];
		const k = Math.max(1, Math.min(60, Math.round(n / size)));
		const base = Math.floor(n / k);
		const list = perLevel.get(g.level) ?? [];
		for (let j = 0; j < k; j++) {
			const pupils = Math.min(200, base + (j < n % k ? 1 : 0));
			let name: string;
			let code: string;
			if (g.level === 'preschool') {
				name = `${g.name} ${j + 1}`;
				code = `${g.code}${j + 1}`;
			} else if (g.level === 'primary' && k <= LETTERS.length) {
				name = `${g.grade}${LETTERS[j]}`;
				code = name.toLowerCase();
			} else {
				name = `${g.grade}A${j + 1}`;
				code = name.toLowerCase();
			}
			const shift =
				g.level === 'preschool' ? 'full_day' : g.level === 'primary' ? 'both' : 'morning';
			list.push({ name, code, grade: g.grade, level: g.level, size: pupils, shift });
		}
		perLevel.set(g.level, list);
	}
	// Crowded secondary schools run two shifts: the youngest grades come in the afternoon.
	const lower = perLevel.get('lower_secondary');
	if (lower && lower.length >= 20) for (const c of lower) if (c.grade <= 7) c.shift = 'afternoon';
	const upper = perLevel.get('upper_secondary');
	if (upper && upper.length >= 24) for (const c of upper) if (c.grade === 10) c.shift = 'afternoon';
	return [...perLevel.values()].flat();
}

/** A school id as used inside event ids: itself, or a hash when it is longer than 40 characters. */
export function sidOf(schoolId: string, h: number): string {
	return schoolId.length <= 40 ? schoolId : `h${h.toString(36)}`;
}

const staticCache = new WeakMap<School, StaticInfo>();

/** A school's static facts (memoised per School object). */
export function staticOf(school: School): StaticInfo {
	let st = staticCache.get(school);
	if (st) return st;
	const h = hashStr(school.school_id);
	const sid = sidOf(school.school_id, h);
	const devices = devicesOf(school).map((d, i): DeviceSim => {
		const dh = hashStr(d.device_id);
		const did = sid === school.school_id ? d.device_id : `${sid}-d${i + 1}`;
		return {
			...d,
			h: dh,
			did,
			sec: dh % 60,
			source: DEVICE_SOURCE[d.device_kind],
			hbPrefix: `sim-dev-${did}-`,
			chgPrefix: `sim-chg-${did}-`
		};
	});
	const subjects = Object.fromEntries(
		TELEMETRY_KINDS.map((k) => [k, subjectFor(k, school.area_id, school.school_id)])
	) as Record<TelemetryKind, string>;
	const gradesTaught = school.levels.reduce(
		(n, l) => n + (l === 'preschool' ? 4 : GRADES[l].length),
		0
	);
	st = { school, h, sid, classes: classesOf(school), devices, gradesTaught, subjects };
	staticCache.set(school, st);
	return st;
}
