import { describe, expect, it } from 'vitest';
import { BOM, csvCell, csvLine, csvResponse, csvStream } from './csv';

const text = async (s: ReadableStream<Uint8Array>) =>
	new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(s).arrayBuffer());

describe('csv', () => {
	it('quotes commas, quotes, line breaks and edge spaces, and nothing else', () => {
		expect(csvCell('Trường THCS An Thới')).toBe('Trường THCS An Thới');
		expect(csvCell('Phường An Cư, Ninh Kiều')).toBe('"Phường An Cư, Ninh Kiều"');
		expect(csvCell('lớp "chọn"')).toBe('"lớp ""chọn"""');
		expect(csvCell('a\nb')).toBe('"a\nb"');
		expect(csvCell(' x')).toBe('" x"');
		expect(csvCell(0.9512)).toBe('0.9512');
		expect(csvCell(null)).toBe('');
		expect(csvCell(Number.NaN)).toBe('');
	});

	it('defuses formulas but keeps negative numbers as text numbers', () => {
		expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
		expect(csvCell('-0.03')).toBe('-0.03');
		expect(csvCell('@sum')).toBe("'@sum");
	});

	it('streams BOM, about lines, a blank line, header and rows with CRLF', async () => {
		async function* rows() {
			yield ['ct-916-001', 'Trường Tiểu học Ngô Quyền', 0.95];
			yield ['ct-916-002', 'Trường "A", B', null];
		}
		const out = await text(
			csvStream({
				about: [['Khoảng thời gian', '2026-11-01 → 2026-11-28']],
				header: ['Mã', 'Tên', 'Chuyên cần'],
				rows: rows()
			})
		);
		expect(out.startsWith(BOM)).toBe(true);
		expect(out.slice(1).split('\r\n')).toEqual([
			'Khoảng thời gian,2026-11-01 → 2026-11-28',
			'',
			'Mã,Tên,Chuyên cần',
			'ct-916-001,Trường Tiểu học Ngô Quyền,0.95',
			'ct-916-002,"Trường ""A"", B",',
			''
		]);
	});

	it('streams many rows in chunks without building them first', async () => {
		let made = 0;
		function* rows() {
			for (let i = 0; i < 20_000; i++) {
				made++;
				yield [i, `trường ${i}`];
			}
		}
		const reader = csvStream({ about: [], header: ['i', 'name'], rows: rows() }).getReader();
		await reader.read(); // header
		await reader.read(); // first chunk
		expect(made).toBeGreaterThan(0);
		expect(made).toBeLessThan(20_000);
		await reader.cancel();
	});

	it('names the download in UTF-8 with an ASCII fallback', () => {
		const r = csvResponse('Ninh Kiều 2026-11-28', { about: [], header: ['a'], rows: [] });
		expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(r.headers.get('content-disposition')).toContain('filename="Ninh_Kieu_2026-11-28.csv"');
		expect(r.headers.get('content-disposition')).toContain(
			"filename*=UTF-8''Ninh%20Ki%E1%BB%81u%202026-11-28.csv"
		);
		expect(csvLine(['a', 1])).toBe('a,1\r\n');
	});
});
