import { describe, expect, it } from 'vitest';
import {
	bbox,
	centroid,
	pointInGeometry,
	type MultiPolygonGeometry,
	type PolygonGeometry
} from './geo';

// a 10×10 square with a 2×2 hole in the middle (outer counter-clockwise, hole clockwise)
const square: PolygonGeometry = {
	type: 'Polygon',
	coordinates: [
		[
			[0, 0],
			[10, 0],
			[10, 10],
			[0, 10],
			[0, 0]
		],
		[
			[4, 4],
			[4, 6],
			[6, 6],
			[6, 4],
			[4, 4]
		]
	]
};

// an L-shaped (concave) polygon plus a separate triangle far away
const multi: MultiPolygonGeometry = {
	type: 'MultiPolygon',
	coordinates: [
		[
			[
				[100, 10],
				[102, 10],
				[102, 11],
				[101, 11],
				[101, 12],
				[100, 12],
				[100, 10]
			]
		],
		[
			[
				[110, 20],
				[112, 20],
				[111, 22],
				[110, 20]
			]
		]
	]
};

describe('pointInGeometry', () => {
	it('finds points inside a polygon and outside it', () => {
		expect(pointInGeometry(1, 1, square)).toBe(true);
		expect(pointInGeometry(9.9, 0.1, square)).toBe(true);
		expect(pointInGeometry(-1, 5, square)).toBe(false);
		expect(pointInGeometry(5, 10.5, square)).toBe(false);
	});

	it('excludes holes', () => {
		expect(pointInGeometry(5, 5, square)).toBe(false);
		expect(pointInGeometry(3.9, 5, square)).toBe(true);
	});

	it('handles concave parts and every member of a MultiPolygon', () => {
		expect(pointInGeometry(100.5, 11.5, multi)).toBe(true);
		expect(pointInGeometry(101.5, 11.5, multi)).toBe(false); // the notch of the L
		expect(pointInGeometry(111, 21, multi)).toBe(true);
		expect(pointInGeometry(111.9, 21.9, multi)).toBe(false);
		expect(pointInGeometry(105, 15, multi)).toBe(false);
	});

	it('is false for a null geometry and throws on other types', () => {
		expect(pointInGeometry(0, 0, null)).toBe(false);
		expect(() => pointInGeometry(0, 0, { type: 'Point', coordinates: [0, 0] })).toThrow(
			/unsupported/
		);
	});
});

describe('bbox and centroid', () => {
	it('bbox covers every part', () => {
		expect(bbox(square)).toEqual([0, 0, 10, 10]);
		expect(bbox(multi)).toEqual([100, 10, 112, 22]);
	});

	it('centroid of a square is its centre', () => {
		const [x, y] = centroid({ type: 'Polygon', coordinates: [square.coordinates[0]] });
		expect(x).toBeCloseTo(5, 10);
		expect(y).toBeCloseTo(5, 10);
	});
});
