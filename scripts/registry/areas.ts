/** The city and its 9 districts: plan-83's districts matched one to one to the district shapes. */
import { areaSchema, type Area } from '#shared/registry';
import type { AreaGeometry } from '#shared/geo';
import { DISTRICTS } from './districts';
import { roundGeometry } from './geometry';
import type { Feature, Inputs, PlanDistrict } from './inputs';
import { fail } from './random';

export type DistrictArea = Area & { geometry: AreaGeometry };

export interface Areas {
	/** the city first, then the districts by code */
	areas: Area[];
	planDistricts: Map<string, PlanDistrict>;
	districtArea: Map<string, DistrictArea>;
	cityGeometry: AreaGeometry;
}

export function buildAreas({ plan, districtFeatures, cityFeatures }: Inputs): Areas {
	const planDistricts = new Map(plan.districts.map((d) => [d.id, d]));
	if (planDistricts.size !== 9)
		fail(`plan-83.json lists ${planDistricts.size} districts, expected 9`);

	const areas: Area[] = [];
	const cityGeometry = roundGeometry(cityFeatures[0]?.geometry ?? fail('no city outline'));
	areas.push(
		areaSchema.parse({
			area_id: 'can-tho',
			parent_id: null,
			level: 'city',
			name: 'Thành phố Cần Thơ',
			name_en: 'Can Tho City',
			kind: '',
			code: '92',
			geometry: cityGeometry
		})
	);

	const districtArea = new Map<string, DistrictArea>();
	const matched = new Set<Feature>();
	for (const d of plan.districts) {
		const f = districtFeatures.find(
			(x) => String(x.properties.name_vi).normalize('NFC') === d.name.normalize('NFC')
		);
		if (!f) fail(`district ${d.id} (${d.name}) not in the district GeoJSON`);
		if (matched.has(f)) fail(`two plan districts match ${String(f.properties.name_vi)}`);
		matched.add(f);
		if (!DISTRICTS[d.id]) fail(`no district spec for ${d.id}`);
		const area = areaSchema.parse({
			area_id: d.id,
			parent_id: 'can-tho',
			level: 'district',
			name: String(f.properties.name_vi).normalize('NFC'),
			name_en: String(f.properties.name_en),
			kind: d.kind,
			code: String(f.properties.gso_code),
			geometry: roundGeometry(f.geometry)
		});
		districtArea.set(d.id, area as DistrictArea);
	}
	if (matched.size !== 9 || districtFeatures.length !== 9)
		fail('the 9 plan districts do not match the 9 GeoJSON features one to one');
	areas.push(...[...districtArea.values()].sort((a, b) => a.code.localeCompare(b.code)));
	return { areas, planDistricts, districtArea, cityGeometry };
}
