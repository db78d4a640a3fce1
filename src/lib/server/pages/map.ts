/** What the map draws of the registry: each district's outline, as the wall and the district page send it. */
import type { AreaGeometry } from '../../shared/geo';
import type { Area } from '../../shared/registry';

export function districtShapes(areas: readonly Area[]) {
	return areas
		.filter((a) => a.level === 'district' && a.geometry)
		.map((a) => ({
			id: a.area_id,
			name: a.name,
			name_en: a.name_en,
			kind: a.kind,
			geometry: a.geometry as AreaGeometry
		}));
}
