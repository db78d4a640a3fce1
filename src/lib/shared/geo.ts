/**
 * Small planar geometry helpers for GeoJSON polygons in lon/lat (WGS84). Good enough for
 * district-sized shapes; no projection, no dependencies. Shared by the seed generator and the app.
 */

export type Position = number[];
export type Ring = Position[];
export interface PolygonGeometry {
	type: 'Polygon';
	coordinates: Ring[];
}
export interface MultiPolygonGeometry {
	type: 'MultiPolygon';
	coordinates: Ring[][];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** Loosely typed geometry as it comes out of JSON or the registry schema. */
export interface GeometryLike {
	type: string;
	coordinates: unknown[];
}

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

function polygonsOf(geometry: GeometryLike): Ring[][] {
	if (geometry.type === 'Polygon') return [geometry.coordinates as Ring[]];
	if (geometry.type === 'MultiPolygon') return geometry.coordinates as Ring[][];
	throw new Error(`unsupported geometry type: ${geometry.type}`);
}

/** Ray casting (even–odd rule) against one ring; the ring may be closed or not. */
export function pointInRing(lon: number, lat: number, ring: Ring): boolean {
	let inside = false;
	const n = ring.length;
	for (let i = 0, j = n - 1; i < n; j = i++) {
		const xi = ring[i][0];
		const yi = ring[i][1];
		const xj = ring[j][0];
		const yj = ring[j][1];
		if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

/** Inside the outer ring and outside every hole. */
export function pointInPolygon(lon: number, lat: number, rings: Ring[]): boolean {
	if (rings.length === 0 || !pointInRing(lon, lat, rings[0])) return false;
	for (let h = 1; h < rings.length; h++) if (pointInRing(lon, lat, rings[h])) return false;
	return true;
}

/** Whether (lon, lat) lies inside a Polygon or MultiPolygon (holes excluded). Null geometry: false. */
export function pointInGeometry(
	lon: number,
	lat: number,
	geometry: GeometryLike | null | undefined
): boolean {
	if (!geometry) return false;
	return polygonsOf(geometry).some((rings) => pointInPolygon(lon, lat, rings));
}

/** Bounding box of a Polygon or MultiPolygon: [minLon, minLat, maxLon, maxLat]. */
export function bbox(geometry: GeometryLike): BBox {
	let minLon = Infinity;
	let minLat = Infinity;
	let maxLon = -Infinity;
	let maxLat = -Infinity;
	for (const rings of polygonsOf(geometry))
		for (const ring of rings)
			for (const [lon, lat] of ring) {
				if (lon < minLon) minLon = lon;
				if (lon > maxLon) maxLon = lon;
				if (lat < minLat) minLat = lat;
				if (lat > maxLat) maxLat = lat;
			}
	if (minLon === Infinity) throw new Error('empty geometry');
	return [minLon, minLat, maxLon, maxLat];
}

/** Signed planar area (shoelace) of a ring in squared degrees; positive when counter-clockwise. */
function ringArea(ring: Ring): number {
	let a = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
		a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
	return a / 2;
}

/** Area-weighted centroid of the outer rings (planar, degrees), ignoring holes. */
export function centroid(geometry: GeometryLike): [number, number] {
	let sx = 0;
	let sy = 0;
	let sa = 0;
	for (const rings of polygonsOf(geometry)) {
		const ring = rings[0];
		for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
			const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
			sx += (ring[j][0] + ring[i][0]) * f;
			sy += (ring[j][1] + ring[i][1]) * f;
		}
		sa += ringArea(ring);
	}
	if (sa === 0) {
		const [a, b, c, d] = bbox(geometry);
		return [(a + c) / 2, (b + d) / 2];
	}
	return [sx / (6 * sa), sy / (6 * sa)];
}
