/** The seed's school records: a draft with its numbers and position, checked against the schema. */
import { schoolSchema, type School } from '#shared/registry';
import { GROUP_LEVELS } from './groups';
import type { Built } from './numbers';
import { fail } from './random';

/** Places the schools in order (positions depend on the ones placed before). */
export function assembleSchools(built: Built[], place: (b: Built) => [number, number]): School[] {
	return built.map((b) => {
		const [lon, lat] = place(b);
		const devices = Math.max(1, b.multimedia_rooms + b.smart_rooms + (b.elibrary ? 1 : 0) + b.pcs);
		const input = {
			school_id: b.draft.school_id,
			name: b.draft.name,
			area_id: b.draft.district,
			ward: b.draft.ward,
			levels: GROUP_LEVELS[b.draft.group],
			lat,
			lon,
			enrolment: b.enrolment,
			classrooms: b.classrooms,
			multimedia_rooms: b.multimedia_rooms,
			smart_rooms: b.smart_rooms,
			devices,
			elibrary: b.elibrary,
			elibrary_year: b.elibrary_year,
			multimedia_year: b.multimedia_year,
			smart_year: b.smart_year,
			plan83: Boolean(b.draft.plan),
			synthetic: !b.draft.plan
		};
		const r = schoolSchema.safeParse(input);
		if (!r.success) fail(`${b.draft.school_id} invalid: ${r.error.message}`);
		return r.data;
	});
}
