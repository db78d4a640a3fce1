import { describe, expect, it } from 'vitest';
import { jsonElementLines, parseCsv, parseRegistryFile } from './import';

describe('CSV parsing keeps line numbers', () => {
	it('handles BOM, quotes, commas and newlines inside quotes, CRLF', () => {
		const text = '\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\n\n3,4\n';
		expect(parseCsv(text)).toEqual([
			{ line: 1, cells: ['a', 'b'] },
			{ line: 2, cells: ['x, y', 'say "hi"'] },
			{ line: 3, cells: ['multi\nline', '2'] },
			{ line: 6, cells: ['3', '4'] }
		]);
	});
});

describe('JSON element lines', () => {
	it('finds where each element of the top-level arrays starts', () => {
		const text = '{\n "areas": [\n  {"a": "{["}\n ],\n "schools": [\n  {},\n\n  {"x": [{}]}\n ]\n}';
		expect(jsonElementLines(text)).toEqual({ areas: [3], schools: [6, 8] });
		expect(jsonElementLines('[\n{},\n{}\n]')).toEqual({ '': [2, 3] });
	});
});

describe('registry files', () => {
	it('an unknown CSV column is refused on the header line', () => {
		const r = parseRegistryFile('s.csv', 'school_id,name,student_names\nx,y,z\n');
		expect(r.errors).toEqual([{ line: 1, reason: 'unknown column "student_names"' }]);
	});
	it('a GeoJSON area without a level is refused with its line', () => {
		const text =
			'{"type":"FeatureCollection","features":[\n{"type":"Feature","properties":{"area_id":"x","parent_id":null,"name":"X"},"geometry":null}\n]}';
		const r = parseRegistryFile('a.geojson', text);
		expect(r.errors.map((e) => e.line)).toEqual([2]);
		expect(r.errors[0].reason).toMatch(/level/);
	});
});
