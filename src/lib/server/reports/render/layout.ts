/**
 * What the DOCX and the PDF share about the page, so the two files of one report look alike:
 * Decree 30/2020/NĐ-CP's A4 margins and type sizes, the national heading, heading numbers, the
 * fonts' files and the column rules of tables.
 */
import { createRequire } from 'node:module';
import type { Block, ReportDoc, TableColumn } from '../doc';

/** The national heading and motto (Decree 30, Appendix I), the same in every language. */
export const NATION: [string, string] = [
	'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
	'Độc lập - Tự do - Hạnh phúc'
];

/** A4 in millimetres, and Decree 30's margins (top 20–25, bottom 20–25, left 30–35, right 15–20). */
export const PAGE_MM = { width: 210, height: 297, top: 20, bottom: 20, left: 30, right: 15 };
/** the page number's baseline from the paper's top edge, in the top margin */
export const PAGE_NUMBER_MM = 10;

/** Type sizes in points (Decree 30, Appendix I: body 13–14, recipients 12 and 11). */
export const PT = {
	body: 13,
	parent: 12.5,
	issuer: 12.5,
	number: 13,
	nation: 12,
	motto: 13,
	placeDate: 13,
	kind: 14,
	title: 13.5,
	table: 12,
	note: 11,
	recipientsHeading: 12,
	recipients: 11,
	signature: 13,
	footer: 8,
	pageNumber: 12
};
/** first-line indent of paragraphs and headings (1–1.27 cm) */
export const INDENT_MM = 10;

export const mm = (v: number) => (v * 72) / 25.4;

/** The national heading of a document: its own, or Vietnam's. */
export function nationOf(doc: ReportDoc): [string, string] {
	return doc.header.nation ?? NATION;
}

const ROMAN = [
	'I',
	'II',
	'III',
	'IV',
	'V',
	'VI',
	'VII',
	'VIII',
	'IX',
	'X',
	'XI',
	'XII',
	'XIII',
	'XIV',
	'XV'
];
const LETTERS = 'abcdđeghiklmnopqrstuvxy';
/** a heading that already carries its number: "II. …", "3. …", "b) …" */
const NUMBERED = /^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))\s/;

/**
 * The heading texts with their numbers (I., 1., a)) in document order, counters restarting under
 * each higher level; a heading the content module numbered itself is left as it is.
 */
export function numberHeadings(blocks: Block[]): Map<number, string> {
	const out = new Map<number, string>();
	const n = [0, 0, 0];
	blocks.forEach((b, i) => {
		if (b.kind !== 'heading') return;
		n[b.level - 1]++;
		for (let l = b.level; l < 3; l++) n[l] = 0;
		if (NUMBERED.test(b.text)) return out.set(i, b.text);
		const k = n[b.level - 1];
		const mark =
			b.level === 1 ? `${ROMAN[k - 1] ?? k}.` : b.level === 2 ? `${k}.` : `${LETTERS[k - 1] ?? k})`;
		out.set(i, `${mark} ${b.text}`);
	});
	return out;
}

/** A column's alignment: numbers right, the first column (names) left. */
export function alignOf(c: TableColumn, i: number): 'left' | 'center' | 'right' {
	return c.align ?? (i === 0 ? 'left' : 'right');
}

/** The columns' widths as shares of `total`. */
export function columnWidths(columns: TableColumn[], total: number): number[] {
	const sum = columns.reduce((s, c) => s + (c.width ?? 1), 0);
	return columns.map((c) => (total * (c.width ?? 1)) / sum);
}

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';
const FONT_FILES: Record<FontStyle, string> = {
	regular: 'DejaVuSerif.ttf',
	bold: 'DejaVuSerif-Bold.ttf',
	italic: 'DejaVuSerif-Italic.ttf',
	boldItalic: 'DejaVuSerif-BoldItalic.ttf'
};

/**
 * DejaVu Serif's files, resolved from node_modules at run time: from this file under tsx, from
 * the server chunk in the adapter-node build (dejavu-fonts-ttf is a dependency, so it is
 * installed beside the build and never bundled).
 */
export function serifFonts(): Record<FontStyle, string> {
	const require = createRequire(import.meta.url);
	const out = {} as Record<FontStyle, string>;
	for (const [k, f] of Object.entries(FONT_FILES))
		out[k as FontStyle] = require.resolve(`dejavu-fonts-ttf/ttf/${f}`);
	return out;
}
