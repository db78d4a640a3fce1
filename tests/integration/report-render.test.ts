/**
 * The report renderers against the tools a reader's machine has: the sample report (Vietnamese
 * in every part, a table that runs over several pages) as a PDF read back by poppler (pdftotext,
 * pdfinfo, pdffonts) and as a DOCX unzipped (its document.xml, core properties and media).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '#server/reports/render/docx';
import { NATION } from '#server/reports/render/layout';
import { renderPdf } from '#server/reports/render/pdf';
import { SAMPLE_DISTRICTS, sampleReport } from '#server/reports/render/sample';

const dir = mkdtempSync(path.join(tmpdir(), 'report-render-'));
const run = (cmd: string, args: string[]) =>
	execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
const nfc = (s: string) => s.normalize('NFC');
/** words joined by single spaces: pdftotext breaks lines where the page does */
const flat = (s: string) => nfc(s).replace(/\s+/g, ' ');

const doc = sampleReport({ parts: 1, rows: 60 });
const table = doc.blocks.find((b) => b.kind === 'table')!;
if (table.kind !== 'table') throw new Error('the sample has a table');

describe('renderPdf', () => {
	let file = '';
	let pages = 0;
	beforeAll(async () => {
		const out = await renderPdf(doc);
		pages = out.pages;
		file = path.join(dir, 'sample.pdf');
		writeFileSync(file, out.data);
	});

	it('reports its real page count, and the long table takes more than one page', () => {
		const info = run('pdfinfo', [file]);
		expect(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])).toBe(pages);
		expect(pages).toBeGreaterThanOrEqual(3);
		expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)/m);
	});

	it('carries the national heading, the header, every district and every table row', () => {
		const text = flat(run('pdftotext', ['-layout', file, '-']));
		for (const s of [...NATION, doc.header.issuer, doc.header.parent, doc.header.kind])
			expect(text).toContain(nfc(s));
		expect(text).toContain(nfc(doc.header.title[0]));
		for (const d of SAMPLE_DISTRICTS) expect(text).toContain(nfc(d));
		// every row: its district and figures on one line (the name may wrap inside its cell, and
		// then pdftotext reads the wrapped part after the vertically centred cells)
		const layout = nfc(run('pdftotext', ['-layout', file, '-']));
		const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		for (const r of table.rows)
			expect(layout).toMatch(
				new RegExp(
					r
						.slice(1)
						.map((c) => esc(nfc(c)))
						.join('\\s+')
				)
			);
		const raw = flat(run('pdftotext', [file, '-']));
		for (const r of table.rows) expect(raw).toContain(nfc(r[0]).replace(/ \d+$/, ''));
		expect(raw).toContain(nfc(doc.signature.name));
		expect(raw).toContain(nfc(doc.recipients.lines.at(-1)!));
	});

	it('repeats the header row on every page the table runs over, and numbers pages from 2', () => {
		const perPage = Array.from({ length: pages }, (_, i) =>
			nfc(run('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-']))
		);
		const spanned = perPage.filter((p) => /Trường (Mầm non|Tiểu học|THCS|THPT) /.test(p));
		expect(spanned.length).toBeGreaterThanOrEqual(2);
		for (const p of spanned) expect(p).toContain('Quận,');
		// page numbers at the top from the second page; none on the first
		expect(perPage[0].trimStart().startsWith('1\n')).toBe(false);
		for (let i = 1; i < pages; i++)
			expect(perPage[i].trimStart()).toMatch(new RegExp(`^${i + 1}\\n`));
	});

	it('embeds DejaVu Serif and no other font, and says what it is', () => {
		const fonts = run('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
		expect(fonts.length).toBeGreaterThanOrEqual(3);
		for (const f of fonts)
			expect(f).toMatch(/\+DejaVuSerif(-Bold|-Italic|-BoldItalic)?\s.*\syes\s+yes\s+yes\s/);
		const info = nfc(run('pdfinfo', [file]));
		expect(info).toContain(`Title:           ${nfc(doc.meta.title)}`);
		expect(info).toContain(`Subject:         ${nfc(doc.meta.subject)}`);
		expect(info).toContain(`Author:          ${nfc(doc.header.issuer)}`);
		expect(info).toMatch(/^CreationDate:\s+Fri Dec {2}4 02:30:00 2026/m);
	});
});

describe('renderDocx', () => {
	let xml = '';
	let file = '';
	beforeAll(async () => {
		file = path.join(dir, 'sample.docx');
		writeFileSync(file, await renderDocx(doc));
		xml = nfc(run('unzip', ['-p', file, 'word/document.xml']));
	});

	/** the document's text per paragraph, runs joined */
	const paragraphs = () =>
		[...xml.matchAll(/<w:p[ >].*?<\/w:p>/g)].map((m) =>
			[...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')
		);

	it('has the national heading, the header, the numbered headings and the closing', () => {
		const ps = paragraphs();
		for (const s of [...NATION, doc.header.issuer, doc.header.kind, doc.addressee])
			expect(ps).toContain(nfc(s));
		expect(ps).toContain('I. KẾT QUẢ TRIỂN KHAI GIAI ĐOẠN 1');
		expect(ps).toContain('1. Tình hình chung');
		expect(ps).toContain('a) Những việc đã làm');
		expect(ps).toContain(nfc(doc.signature.name));
		expect(ps).toContain(nfc(doc.recipients.heading));
	});

	it('has every table cell, the header row marked to repeat, numbers right-aligned', () => {
		const ps = paragraphs();
		for (const r of table.rows) for (const c of r) expect(ps).toContain(nfc(c));
		for (const c of table.columns) expect(ps).toContain(nfc(c.label));
		expect(xml.match(/<w:tblHeader\/>/g)?.length).toBe(1);
		const cellOf = (t: string) =>
			new RegExp(`<w:jc w:val="(\\w+)"/>(?:(?!</w:p>).)*<w:t[^>]*>${t}</w:t>`);
		expect(cellOf(table.rows[0][2]).exec(xml)?.[1]).toBe('right');
	});

	it('is A4 with Decree 30 margins, Times New Roman, page numbers from page 2', () => {
		const sect = /<w:sectPr>.*<\/w:sectPr>/.exec(xml)![0];
		expect(sect).toContain('<w:pgSz w:w="11906" w:h="16838"');
		const margin = (side: string) =>
			Number(new RegExp(`w:${side}="(\\d+)"`).exec(/<w:pgMar[^>]*>/.exec(sect)![0])![1]) / 56.6929;
		expect(margin('top')).toBeGreaterThanOrEqual(19.9);
		expect(margin('top')).toBeLessThanOrEqual(25.1);
		expect(margin('left')).toBeGreaterThanOrEqual(29.9);
		expect(margin('left')).toBeLessThanOrEqual(35.1);
		expect(margin('right')).toBeGreaterThanOrEqual(14.9);
		expect(margin('right')).toBeLessThanOrEqual(20.1);
		expect(sect).toContain('<w:titlePg/>');
		const styles = run('unzip', ['-p', file, 'word/styles.xml']);
		expect(styles).toMatch(/<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman"/);
		const headers =
			run('unzip', ['-p', file, 'word/header1.xml']) +
			run('unzip', ['-p', file, 'word/header2.xml']);
		expect(headers).toContain('PAGE');
	});

	it('embeds each chart as SVG with a PNG fallback, and has its title and subject', () => {
		const list = run('unzip', ['-l', file]);
		const charts = doc.blocks.filter((b) => b.kind === 'chart').length;
		expect(list.match(/word\/media\/\S+\.svg/g)?.length).toBe(charts);
		expect(list.match(/word\/media\/\S+\.png/g)?.length).toBe(charts);
		const core = nfc(run('unzip', ['-p', file, 'docProps/core.xml']));
		expect(core).toContain(`<dc:title>${nfc(doc.meta.title)}</dc:title>`);
		expect(core).toContain(`<dc:subject>${nfc(doc.meta.subject)}</dc:subject>`);
	});
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
