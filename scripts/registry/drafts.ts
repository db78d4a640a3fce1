/**
 * School skeletons: plan-83 units first (their real names, wards and levels), then the synthetic
 * remainder of each district's mix spread over its wards, numbered city-wide where names repeat.
 */
import type { Plan, PlanUnit } from './inputs';
import type { DistrictArea } from './areas';
import { DISTRICTS } from './districts';
import { GROUP_PREFIX, GROUPS, groupOf, type Group } from './groups';
import { fixWard, PRESCHOOL_NAMES, stemOf } from './names';
import { fail, rngFor, shuffled } from './random';

export const TOTAL_SCHOOLS = 467;

export interface Draft {
	district: string;
	group: Group;
	ward: string;
	/** full name for plan units, a base to be numbered for synthetic ones */
	name: string;
	plan?: PlanUnit;
	school_id?: string;
}

export function buildDrafts(
	plan: Plan,
	districtArea: Map<string, DistrictArea>
): { planUnits: PlanUnit[]; drafts: Draft[] } {
	const planUnits = plan.elibrary_rollout.filter((u) => {
		if (u.levels.length === 0 || !districtArea.has(u.district_id)) {
			console.warn(
				`skipping plan unit ${u.seq} "${u.name}" (${u.district_id}, levels [${u.levels.join(', ')}]): not a school`
			);
			return false;
		}
		return true;
	});

	const planNameSet = new Set(planUnits.map((u) => u.name.normalize('NFC')));
	const drafts: Draft[] = [];
	const flowerUse = new Map<string, number>();
	const flowerOrder = shuffled(PRESCHOOL_NAMES, rngFor('flowers'));

	for (const d of plan.districts) {
		const spec = DISTRICTS[d.id];
		const mine = planUnits.filter((u) => u.district_id === d.id);
		const planDrafts: Draft[] = mine.map((u) => {
			const ward = fixWard(u.ward, spec.wards);
			if (!spec.wards.includes(ward))
				fail(`plan unit ${u.seq}: ward "${ward}" not in ${d.id}'s ward list`);
			return {
				district: d.id,
				group: groupOf(u.levels),
				ward,
				name: u.name.normalize('NFC'),
				plan: u
			};
		});

		const synthetic: Draft[] = [];
		for (const g of GROUPS) {
			const have = planDrafts.filter((x) => x.group === g);
			const n = spec.mix[g] - have.length;
			if (n < 0) fail(`${d.id}: mix allows ${spec.mix[g]} ${g} but the plan has ${have.length}`);
			// spread over the wards: always the least-used ward so far, ties in a fixed random order
			const use = new Map(spec.wards.map((w) => [w, 0]));
			for (const x of have) use.set(x.ward, (use.get(x.ward) ?? 0) + 1);
			// a synthetic "THPT Bùi Hữu Nghĩa 2" would pass for a real school: above primary, skip wards
			// whose name is already a plan unit's name
			const free = spec.wards.filter(
				(w) =>
					g === 'preschool' ||
					g === 'primary' ||
					!planNameSet.has(`${GROUP_PREFIX[g]} ${stemOf(w, g)}`)
			);
			const order = shuffled(free.length > 0 ? free : spec.wards, rngFor(`wards:${d.id}:${g}`));
			const pick = rngFor(`names:${d.id}:${g}`);
			for (let i = 0; i < n; i++) {
				const ward = order.reduce(
					(best, w) => ((use.get(w) ?? 0) < (use.get(best) ?? 0) ? w : best),
					order[0]
				);
				use.set(ward, (use.get(ward) ?? 0) + 1);
				let name = `${GROUP_PREFIX[g]} ${stemOf(ward, g)}`;
				if (g === 'preschool' && pick() < (d.kind === 'urban' ? 0.5 : 0.2)) {
					const flower = flowerOrder.reduce(
						(best, f) => ((flowerUse.get(f) ?? 0) < (flowerUse.get(best) ?? 0) ? f : best),
						flowerOrder[0]
					);
					flowerUse.set(flower, (flowerUse.get(flower) ?? 0) + 1);
					name = `${GROUP_PREFIX[g]} ${flower}`;
				}
				synthetic.push({ district: d.id, group: g, ward, name });
			}
		}
		const wardIndex = (w: string) => spec.wards.indexOf(w);
		synthetic.sort(
			(a, b) =>
				GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) ||
				wardIndex(a.ward) - wardIndex(b.ward) ||
				a.name.localeCompare(b.name, 'vi')
		);
		const code = districtArea.get(d.id)?.code ?? fail(`no area for ${d.id}`);
		[...planDrafts, ...synthetic].forEach((x, i) => {
			x.school_id = `ct-${code}-${String(i + 1).padStart(3, '0')}`;
			drafts.push(x);
		});
	}
	if (drafts.length !== TOTAL_SCHOOLS)
		fail(`${drafts.length} schools, expected ${TOTAL_SCHOOLS}: fix the district mixes`);
	drafts.sort((a, b) => (a.school_id ?? '').localeCompare(b.school_id ?? ''));
	numberNames(drafts);
	return { planUnits, drafts };
}

// Number synthetic names city-wide when a base repeats or collides with a plan name ("… 1", "… 2"),
// skipping numbers the plan already uses ("Trường Tiểu học Lê Bình 1" → the synthetic one is "… 2").
function numberNames(drafts: Draft[]): void {
	const planNames = new Set(drafts.filter((x) => x.plan).map((x) => x.name));
	const byBase = new Map<string, Draft[]>();
	for (const x of drafts) if (!x.plan) byBase.set(x.name, [...(byBase.get(x.name) ?? []), x]);
	for (const [base, list] of byBase) {
		const taken = new Set<number>();
		for (const n of planNames) {
			if (n === base) taken.add(1);
			const m = n.startsWith(`${base} `) ? /^(\d+)$/.exec(n.slice(base.length + 1)) : null;
			if (m) taken.add(Number(m[1]));
		}
		if (list.length === 1 && taken.size === 0) continue;
		let k = 1;
		for (const x of list) {
			while (taken.has(k)) k++;
			x.name = `${base} ${k}`;
			taken.add(k);
		}
	}
	const seen = new Set<string>();
	for (const x of drafts) {
		if (seen.has(x.name)) fail(`duplicate school name ${x.name}`);
		seen.add(x.name);
	}
}
