/**
 * The school registry: areas (a hierarchy with boundaries) and schools.
 * Shared by ingest/ and the app; no $app/$env imports here.
 */
import { z } from 'zod';

/** Token allowed in a NATS subject and in URLs: lowercase letters, digits, '-' and '_'. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const idSchema = z
	.string()
	.regex(ID_PATTERN, 'must be 1–64 chars of a-z, 0-9, "-" or "_", starting with a letter or digit');

export const SCHOOL_LEVELS = [
	'preschool',
	'primary',
	'lower_secondary',
	'upper_secondary'
] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

/** Levels an area can have. The hierarchy is data: a 2025 import adds `commune`/`ward` areas under `city`. */
export const AREA_LEVELS = ['country', 'province', 'city', 'district', 'ward', 'commune'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

const nonEmptyName = z
	.string()
	.trim()
	.min(1, 'must not be empty')
	.max(200, 'must be at most 200 characters')
	.transform((s) => s.normalize('NFC'));

const polygonLike = z.object({
	type: z.enum(['Polygon', 'MultiPolygon']),
	coordinates: z.array(z.any())
});

export const areaSchema = z
	.object({
		area_id: idSchema,
		parent_id: idSchema.nullable(),
		level: z.enum(AREA_LEVELS),
		name: nonEmptyName,
		name_en: z.string().max(200).default(''),
		/** urban / rural, used by breakdowns; '' when it does not apply */
		kind: z.enum(['urban', 'rural', '']).default(''),
		/** official code (GSO) when known */
		code: z.string().max(32).default(''),
		geometry: polygonLike.nullable().default(null)
	})
	.strict();
export type Area = z.infer<typeof areaSchema>;

const count = (max: number) =>
	z
		.number()
		.int('must be a whole number')
		.min(0, 'must not be negative')
		.max(max, `must be at most ${max}`);
const year = z.number().int().min(2000).max(2100);

export const schoolSchema = z
	.object({
		school_id: idSchema,
		name: nonEmptyName,
		/** the area the school belongs to today (a district before 2025, a ward or commune after) */
		area_id: idSchema,
		ward: z
			.string()
			.trim()
			.max(200)
			.default('')
			.transform((s) => s.normalize('NFC')),
		levels: z.array(z.enum(SCHOOL_LEVELS)).min(1, 'a school has at least one level'),
		lat: z.number().min(-90).max(90),
		lon: z.number().min(-180).max(180),
		enrolment: count(20000),
		classrooms: count(500),
		multimedia_rooms: count(500),
		smart_rooms: count(500),
		/** classroom devices reporting heartbeats (projectors, smart TVs, boards, PCs, kiosks) */
		devices: count(2000).default(0),
		elibrary: z.boolean(),
		elibrary_year: year.nullable().default(null),
		multimedia_year: year.nullable().default(null),
		smart_year: year.nullable().default(null),
		/** in plan 83's appendix */
		plan83: z.boolean().default(false),
		/** generated for the demo, not a real school record */
		synthetic: z.boolean().default(false)
	})
	.strict()
	.refine((s) => s.multimedia_rooms + s.smart_rooms <= s.classrooms || s.classrooms === 0, {
		message: 'multimedia_rooms + smart_rooms exceed classrooms',
		path: ['multimedia_rooms']
	});
export type School = z.infer<typeof schoolSchema>;
export type SchoolInput = z.input<typeof schoolSchema>;

/** A whole registry: what an import file holds and what the app caches. */
export interface Registry {
	areas: Area[];
	schools: School[];
}

/** The district a school lies in, walking up the area tree (a 2025 ward belongs to no pre-2025 district). */
export function districtResolver(areas: readonly Area[]): (s: School) => string | null {
	const byId = new Map(areas.map((a) => [a.area_id, a]));
	return (s) => {
		let a = byId.get(s.area_id);
		for (let hops = 0; a && hops < 8; hops++) {
			if (a.level === 'district') return a.area_id;
			a = a.parent_id ? byId.get(a.parent_id) : undefined;
		}
		return null;
	};
}
