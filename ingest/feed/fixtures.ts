/**
 * A small synthetic registry for the feed's specs (and benchmarks before the seed exists):
 * schools spread over Cần Thơ's nine districts, all levels, sizes like the real ones.
 */
import type { SchoolLookup } from '#shared/contract';
import { schoolSchema, type Area, type School, type SchoolLevel } from '#shared/registry';

export const DISTRICTS: { id: string; name: string; kind: 'urban' | 'rural' }[] = [
	{ id: 'ninh-kieu', name: 'Ninh Kiều', kind: 'urban' },
	{ id: 'binh-thuy', name: 'Bình Thủy', kind: 'urban' },
	{ id: 'cai-rang', name: 'Cái Răng', kind: 'urban' },
	{ id: 'o-mon', name: 'Ô Môn', kind: 'urban' },
	{ id: 'thot-not', name: 'Thốt Nốt', kind: 'urban' },
	{ id: 'phong-dien', name: 'Phong Điền', kind: 'rural' },
	{ id: 'co-do', name: 'Cờ Đỏ', kind: 'rural' },
	{ id: 'thoi-lai', name: 'Thới Lai', kind: 'rural' },
	{ id: 'vinh-thanh', name: 'Vĩnh Thạnh', kind: 'rural' }
];

const KINDS: { levels: SchoolLevel[]; enrolment: number; prefix: string }[] = [
	{ levels: ['preschool'], enrolment: 260, prefix: 'Trường Mầm non' },
	{ levels: ['primary'], enrolment: 720, prefix: 'Trường Tiểu học' },
	{ levels: ['lower_secondary'], enrolment: 900, prefix: 'Trường THCS' },
	{ levels: ['upper_secondary'], enrolment: 1200, prefix: 'Trường THPT' },
	{ levels: ['primary', 'lower_secondary'], enrolment: 650, prefix: 'Trường Tiểu học và THCS' }
];

/** `n` schools `t-000`, `t-001`, … round-robin over districts and levels. */
export function syntheticRegistry(n = 45): { areas: Area[]; schools: School[] } {
	const areas: Area[] = [
		{
			area_id: 'can-tho',
			parent_id: null,
			level: 'city',
			name: 'Cần Thơ',
			name_en: 'Can Tho',
			kind: '',
			code: '92',
			geometry: null
		},
		...DISTRICTS.map((d): Area => ({
			area_id: d.id,
			parent_id: 'can-tho',
			level: 'district',
			name: d.name,
			name_en: '',
			kind: d.kind,
			code: '',
			geometry: null
		}))
	];
	const schools: School[] = [];
	for (let i = 0; i < n; i++) {
		const d = DISTRICTS[i % DISTRICTS.length];
		const k = KINDS[Math.floor(i / DISTRICTS.length) % KINDS.length];
		const scale = 0.6 + ((i * 37) % 100) / 100;
		const enrolment = Math.round(k.enrolment * scale);
		const classrooms = Math.max(4, Math.round(enrolment / 35));
		const smart = i % 3;
		const multimedia = 1 + (i % 4);
		const elibrary = i % 4 !== 3;
		schools.push(
			schoolSchema.parse({
				school_id: `t-${String(i).padStart(3, '0')}`,
				name: `${k.prefix} số ${i + 1}`,
				area_id: d.id,
				levels: k.levels,
				lat: 10.0 + (i % 10) * 0.02,
				lon: 105.6 + (i % 7) * 0.03,
				enrolment,
				classrooms,
				multimedia_rooms: multimedia,
				smart_rooms: smart,
				devices: smart + multimedia + (elibrary ? 1 : 0) + (i % 5),
				elibrary,
				synthetic: true
			})
		);
	}
	return { areas, schools };
}

/** A SchoolLookup over a registry, as validation uses it. */
export function lookupOf(registry: { schools: School[] }): SchoolLookup {
	const byId = new Map(registry.schools.map((s) => [s.school_id, s.area_id]));
	return { districtOf: (id) => byId.get(id) };
}
