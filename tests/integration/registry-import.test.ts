import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportError, importRegistry } from '#server/platform/registry/import';
import { loadRegistry, applyRegistry } from '#server/platform/registry/store';
import { startClickHouse, type TempClickHouse } from '#harness/chdb';
import { testRegistry } from '#harness/events';

let db: TempClickHouse;
beforeAll(async () => {
	db = await startClickHouse();
	await applyRegistry(db.ch, testRegistry(), { source: 'test', mode: 'replace' });
});
afterAll(async () => db?.cleanup());

const HEADER =
	'school_id,name,area_id,ward,levels,lat,lon,enrolment,classrooms,multimedia_rooms,smart_rooms,devices,elibrary,elibrary_year';
const good = [
	HEADER,
	'ct-916-101,"Trường THCS Lê Lợi, cơ sở 2",ninh-kieu,Phường Cái Khế,lower_secondary,10.045,105.786,950,27,5,1,7,true,2024',
	'ct-925-102,Trường Tiểu học Thới Xuân 1,co-do,Xã Thới Xuân,primary,10.09,105.43,420,12,0,0,1,false,',
	'ct-925-103,"Trường TH&THCS ""Đông Hiệp""",co-do,Xã Đông Hiệp,primary|lower_secondary,10.11,105.47,610,18,2,0,3,có,2025'
].join('\n');

async function expectRefused(name: string, text: string, lines: number[], pattern?: RegExp) {
	const before = await loadRegistry(db.ch);
	const err = await importRegistry(db.ch, [{ name, text }]).then(
		() => null,
		(e) => e
	);
	expect(err).toBeInstanceOf(ImportError);
	expect((err as ImportError).errors.map((e) => e.line)).toEqual(lines);
	if (pattern) expect((err as ImportError).message).toMatch(pattern);
	// a refused file changes nothing
	expect(await loadRegistry(db.ch)).toEqual(before);
}

describe('registry importer', () => {
	it('loads a good CSV with Vietnamese names, quoted commas and quotes', async () => {
		const r = await importRegistry(db.ch, [{ name: 'schools.csv', text: '\uFEFF' + good }]);
		expect(r.schools).toBe(3);
		const reg = await loadRegistry(db.ch);
		const byId = new Map(reg.schools.map((s) => [s.school_id, s]));
		expect(byId.get('ct-916-101')?.name).toBe('Trường THCS Lê Lợi, cơ sở 2');
		expect(byId.get('ct-925-103')?.name).toBe('Trường TH&THCS "Đông Hiệp"');
		expect(byId.get('ct-925-103')?.levels).toEqual(['primary', 'lower_secondary']);
		expect(byId.get('ct-925-103')?.elibrary).toBe(true);
		expect(byId.get('ct-925-102')?.elibrary_year).toBeNull();
		expect(reg.schools.length).toBe(testRegistry().schools.length + 3);
	});

	it('refuses each kind of bad row with its line number, and writes nothing', async () => {
		const rows = [
			HEADER,
			'ct-916-201,Trường A,ninh-kieu,,primary,10.04,105.78,500,15,1,0,2,false,', // line 2 fine
			'ct-916-202,,ninh-kieu,,primary,10.04,105.78,500,15,1,0,2,false,', // 3: empty name
			'ct-916-203,Trường C,no-such-district,,primary,10.04,105.78,500,15,1,0,2,false,', // 4: unknown area
			'ct-916-204,Trường D,ninh-kieu,,kindergarten,10.04,105.78,500,15,1,0,2,false,', // 5: unknown level
			'ct-916-205,Trường E,ninh-kieu,,primary,abc,105.78,500,15,1,0,2,false,', // 6: lat not a number
			'ct-916-206,Trường F,ninh-kieu,,primary,10.04,105.78,-5,15,1,0,2,false,', // 7: negative enrolment
			'ct-916-201,Trường G,ninh-kieu,,primary,10.04,105.78,500,15,1,0,2,false,', // 8: duplicate id
			'ct-916-208,Trường H,ninh-kieu,,primary,10.04,105.78,500,15,1', // 9: too few cells
			'CT 916/209,Trường I,ninh-kieu,,primary,10.04,105.78,500,15,1,0,2,false,' // 10: bad id
		].join('\n');
		// parse errors are reported first (lines 3,5,6,7,9,10); reference errors need a parsed file
		await expectRefused('bad.csv', rows, [3, 5, 6, 7, 9, 10], /line 3: name/);
		const refs = [
			rows.split('\n')[0],
			rows.split('\n')[1],
			rows.split('\n')[3],
			rows.split('\n')[7]
		].join('\n');
		await expectRefused('refs.csv', refs, [3, 4], /not a known area.*\n.*repeats line 2/s);
	});

	it('names the line of a bad element in JSON', async () => {
		const json = `{
  "schools": [
    { "school_id": "ct-916-301", "name": "Trường J", "area_id": "ninh-kieu", "levels": ["primary"], "lat": 10.04, "lon": 105.78,
      "enrolment": 500, "classrooms": 15, "multimedia_rooms": 1, "smart_rooms": 0, "elibrary": false },
    { "school_id": "ct-916-302", "name": "Trường K", "area_id": "ninh-kieu", "levels": [], "lat": 10.04, "lon": 105.78,
      "enrolment": 500, "classrooms": 15, "multimedia_rooms": 1, "smart_rooms": 0, "elibrary": false }
  ]
}`;
		await expectRefused('schools.json', json, [5], /at least one level/);
	});

	it('refuses a file that is not UTF-8 or not JSON', async () => {
		await expectRefused('x.json', '{"schools": [', [1], /not JSON/);
		await expectRefused(
			'x.csv',
			Buffer.from([0x73, 0x63, 0x68, 0xff, 0x0a]).toString('utf8'),
			[1],
			/UTF-8/
		);
	});

	it('the 2025 reorganisation is an import of new areas: communes replace districts, schools move', async () => {
		const geo = {
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: {
						area_id: 'can-tho-2025',
						parent_id: null,
						level: 'city',
						name: 'Thành phố Cần Thơ (mới)'
					},
					geometry: null
				},
				{
					type: 'Feature',
					properties: {
						area_id: 'phuong-ninh-kieu',
						parent_id: 'can-tho-2025',
						level: 'ward',
						name: 'Phường Ninh Kiều',
						kind: 'urban'
					},
					geometry: {
						type: 'Polygon',
						coordinates: [
							[
								[105.76, 10.02],
								[105.8, 10.02],
								[105.8, 10.06],
								[105.76, 10.06],
								[105.76, 10.02]
							]
						]
					}
				},
				{
					type: 'Feature',
					properties: {
						area_id: 'xa-co-do',
						parent_id: 'can-tho-2025',
						level: 'commune',
						name: 'Xã Cờ Đỏ',
						kind: 'rural'
					},
					geometry: null
				}
			]
		};
		const before = await loadRegistry(db.ch);
		const moved = before.schools.map((s) => ({
			...s,
			area_id: s.area_id === 'co-do' ? 'xa-co-do' : 'phuong-ninh-kieu'
		}));
		const r = await importRegistry(
			db.ch,
			[
				{ name: 'areas-2025.geojson', text: JSON.stringify(geo) },
				{ name: 'schools-2025.json', text: JSON.stringify({ schools: moved }) }
			],
			'replace'
		);
		expect(r.areas).toBe(3);
		const after = await loadRegistry(db.ch);
		expect(after.areas.map((a) => a.area_id).sort()).toEqual([
			'can-tho-2025',
			'phuong-ninh-kieu',
			'xa-co-do'
		]);
		expect(after.areas.find((a) => a.area_id === 'phuong-ninh-kieu')?.geometry?.type).toBe(
			'Polygon'
		);
		expect(after.schools.length).toBe(before.schools.length);
		expect(new Set(after.schools.map((s) => s.area_id))).toEqual(
			new Set(['phuong-ninh-kieu', 'xa-co-do'])
		);
	});
});
