/**
 * CSV for Excel users: UTF-8 with a byte-order mark (without it Excel shows Vietnamese as
 * mojibake), RFC 4180 quoting, CRLF line ends. Each export starts with what produced it (view,
 * range, filters, time of export), a blank line, then the table. Rows are written as they come
 * from an (async) iterable, so a large export is streamed, never built whole in memory.
 */
export const BOM = '\uFEFF';

export type Cell = string | number | boolean | null | undefined;

/** One cell: quoted when it holds a comma, quote, line break or edge spaces; formulas defused. */
export function csvCell(v: Cell): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	let s = v;
	// a text cell starting with = + - @ would run as a formula in Excel (CSV injection)
	if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
	return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly Cell[]): string {
	return cells.map(csvCell).join(',') + '\r\n';
}

export interface CsvExport {
	/** lines saying what produced the export: [label, value] */
	about: [string, string][];
	header: string[];
	rows: Iterable<readonly Cell[]> | AsyncIterable<readonly Cell[]>;
}

/** The export as a byte stream: BOM, the "about" lines, a blank line, the header, the rows. */
export function csvStream(e: CsvExport): ReadableStream<Uint8Array> {
	const enc = new TextEncoder();
	const it = (
		Symbol.asyncIterator in e.rows
			? (e.rows as AsyncIterable<readonly Cell[]>)[Symbol.asyncIterator]()
			: (e.rows as Iterable<readonly Cell[]>)[Symbol.iterator]()
	) as AsyncIterator<readonly Cell[]> | Iterator<readonly Cell[]>;
	let started = false;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true;
				let head = BOM;
				for (const line of e.about) head += csvLine(line);
				if (e.about.length) head += '\r\n';
				head += csvLine(e.header);
				controller.enqueue(enc.encode(head));
				return;
			}
			// up to ~64 kB per chunk
			let chunk = '';
			while (chunk.length < 65_536) {
				const next = await it.next();
				if (next.done) {
					if (chunk) controller.enqueue(enc.encode(chunk));
					controller.close();
					return;
				}
				chunk += csvLine(next.value);
			}
			controller.enqueue(enc.encode(chunk));
		},
		async cancel() {
			await it.return?.();
		}
	});
}

/** A download response; the file name may hold Vietnamese (RFC 5987) with an ASCII fallback. */
export function csvResponse(file: string, e: CsvExport): Response {
	const ascii = file
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/đ/g, 'd')
		.replace(/Đ/g, 'D')
		.replace(/[^\w.-]+/g, '_');
	return new Response(csvStream(e), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${ascii}.csv"; filename*=UTF-8''${encodeURIComponent(file)}.csv`,
			'cache-control': 'no-store'
		}
	});
}
