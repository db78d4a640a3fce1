/**
 * The generator's steps in order: read ../shared/data, build the areas, the school skeletons,
 * their numbers, plan 83's roll-out and positions, validate, then write the seed and map layers.
 */
import { areaSchema } from '#shared/registry';
import { buildAreas } from './areas';
import { buildDrafts } from './drafts';
import type { Group } from './groups';
import { readInputs } from './inputs';
import { buildNumbers } from './numbers';
import { makePlacer } from './positions';
import { fail } from './random';
import { rollOut } from './rollout';
import { assembleSchools } from './schools';
import { copyLayers, writeSeed } from './write';

export function generateRegistry(): void {
	const inputs = readInputs();
	const { plan } = inputs;
	const { areas, planDistricts, districtArea, cityGeometry } = buildAreas(inputs);
	const { planUnits, drafts } = buildDrafts(plan, districtArea);
	const built = buildNumbers(drafts, planDistricts);
	rollOut(built, plan.multimedia_classrooms, 'multimedia');
	rollOut(built, plan.smart_interactive_classrooms, 'smart');
	const schools = assembleSchools(built, makePlacer(districtArea, cityGeometry));

	for (const a of areas) {
		const r = areaSchema.safeParse(a);
		if (!r.success) fail(`area ${a.area_id} invalid: ${r.error.message}`);
	}
	if (new Set(schools.map((s) => s.school_id)).size !== schools.length) fail('duplicate school_id');
	if (new Set(schools.map((s) => `${s.lat},${s.lon}`)).size !== schools.length)
		fail('two schools at the same point');
	const plan83 = schools.filter((s) => s.plan83).length;
	if (plan83 !== planUnits.length)
		fail(`${plan83} plan units written, expected ${planUnits.length}`);

	writeSeed(areas, schools);
	copyLayers();

	// summary
	const byDistrict = new Map<string, number>();
	const byGroup = new Map<Group, number>();
	for (const b of built) {
		byDistrict.set(b.draft.district, (byDistrict.get(b.draft.district) ?? 0) + 1);
		byGroup.set(b.draft.group, (byGroup.get(b.draft.group) ?? 0) + 1);
	}
	console.log(
		`areas: ${areas.length}, schools: ${schools.length} (plan 83: ${plan83}, synthetic: ${schools.length - plan83})`
	);
	console.log('by district:', Object.fromEntries(byDistrict));
	console.log('by group:', Object.fromEntries(byGroup));
	console.log(
		`e-library: ${schools.filter((s) => s.elibrary).length}, multimedia rooms: ${schools.reduce((n, s) => n + s.multimedia_rooms, 0)}, smart rooms: ${schools.reduce((n, s) => n + s.smart_rooms, 0)}, devices: ${schools.reduce((n, s) => n + s.devices, 0)}`
	);
}
