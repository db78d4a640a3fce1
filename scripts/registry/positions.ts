/** Synthetic school positions: inside the district and the city, ~90 m apart, urban ones clustered. */
import { bbox, centroid, pointInGeometry, type AreaGeometry } from '#shared/geo';
import type { DistrictArea } from './areas';
import { DISTRICTS } from './districts';
import type { Built } from './numbers';
import { fail, gaussian, rngFor, round5 } from './random';

const MIN_SEPARATION = 0.0008; // degrees, ~90 m

/** A placer that remembers every point it gave, so call it for the schools in order. */
export function makePlacer(
	districtArea: Map<string, DistrictArea>,
	cityGeometry: AreaGeometry
): (b: Built) => [number, number] {
	const placed: [number, number][] = [];
	return function place(b: Built): [number, number] {
		const area = districtArea.get(b.draft.district) ?? fail(`no area ${b.draft.district}`);
		const geom = area.geometry;
		const [minLon, minLat, maxLon, maxLat] = bbox(geom);
		const spec = DISTRICTS[b.draft.district];
		const centre = pointInGeometry(spec.centre[0], spec.centre[1], geom)
			? spec.centre
			: centroid(geom);
		const rng = rngFor(`position:${b.draft.school_id}`);
		const clustered = rng() < (b.urban ? 0.65 : 0.3);
		const sx = (maxLon - minLon) * (b.urban ? 0.2 : 0.12);
		const sy = (maxLat - minLat) * (b.urban ? 0.2 : 0.12);
		for (let attempt = 0; attempt < 20_000; attempt++) {
			const lon = round5(
				clustered && attempt < 2000
					? centre[0] + gaussian(rng) * sx
					: minLon + rng() * (maxLon - minLon)
			);
			const lat = round5(
				clustered && attempt < 2000
					? centre[1] + gaussian(rng) * sy
					: minLat + rng() * (maxLat - minLat)
			);
			if (!pointInGeometry(lon, lat, geom)) continue;
			if (!pointInGeometry(lon, lat, cityGeometry)) continue;
			if (
				placed.some(
					([x, y]) => Math.abs(x - lon) < MIN_SEPARATION && Math.abs(y - lat) < MIN_SEPARATION
				)
			)
				continue;
			placed.push([lon, lat]);
			return [lon, lat];
		}
		return fail(`could not place ${b.draft.school_id}`);
	};
}
