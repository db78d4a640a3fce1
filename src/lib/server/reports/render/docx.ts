/**
 * A report as a DOCX a Department of Education can file and edit: A4 with Decree 30/2020/NĐ-CP's
 * margins and Times New Roman, the two-column header (issuer | national heading), the kind and
 * title centred, the body's blocks, then "Nơi nhận" beside the signature. Tables repeat their
 * header row on every page; charts are SVG with a PNG fallback for older Word.
 */
import {
	AlignmentType,
	BorderStyle,
	Document,
	Footer,
	Header,
	ImageRun,
	Packer,
	PageNumber,
	Paragraph,
	Table,
	TableBorders,
	TableCell,
	TableLayoutType,
	TableRow,
	TextRun,
	VerticalAlignTable,
	WidthType,
	type IBorderOptions
} from 'docx';
import type { Block, ReportDoc, Run } from '../doc';
import { chartSvg, svgToPng } from './chart-svg';
import {
	INDENT_MM,
	PAGE_MM,
	PAGE_NUMBER_MM,
	PT,
	alignOf,
	columnWidths,
	nationOf,
	numberHeadings
} from './layout';

/** twentieths of a point (Word's unit for lengths) */
const tw = (pt: number) => Math.round(pt * 20);
const mmTw = (v: number) => Math.round((v * 72 * 20) / 25.4);
const TEXT_TW = mmTw(PAGE_MM.width - PAGE_MM.left - PAGE_MM.right);
const FONT = 'Times New Roman';

const ALIGN = {
	left: AlignmentType.LEFT,
	center: AlignmentType.CENTER,
	right: AlignmentType.RIGHT,
	justify: AlignmentType.JUSTIFIED
} as const;

interface RunStyle {
	size: number;
	bold?: boolean;
	italic?: boolean;
}

function text(t: string, s: RunStyle, breakBefore = false): TextRun {
	return new TextRun({
		text: t,
		bold: s.bold,
		italics: s.italic,
		size: s.size * 2,
		font: FONT,
		break: breakBefore ? 1 : undefined
	});
}

function runs(rs: Run[], size: number): TextRun[] {
	return rs.map((r) =>
		typeof r === 'string'
			? text(r, { size })
			: text(r.text, { size, bold: r.bold, italic: r.italic })
	);
}

/** Lines of one style as one paragraph (line breaks, not paragraphs: no spacing between them). */
function lines(
	ls: string[],
	s: RunStyle,
	align: keyof typeof ALIGN = 'center',
	after = 0
): Paragraph {
	return new Paragraph({
		alignment: ALIGN[align],
		// stacked Vietnamese marks (Ế, Ỗ) reach above a single line: at least 1.25 lines, in points
		// (LibreOffice reads a proportional spacing as a share of the size, Word of the line)
		spacing: { before: 0, after: tw(after), line: tw(s.size * 1.25), lineRule: 'atLeast' },
		children: ls.map((l, i) => text(l, s, i > 0))
	});
}

/**
 * A short centred rule (under the issuer, the motto and the title): the bottom border of an
 * empty paragraph 3 points high, shortened to `length` points inside a `width`-point column by its
 * indents.
 */
function rule(width: number, length: number, after = 6): Paragraph {
	const side = tw(Math.max(0, (width - length) / 2));
	return new Paragraph({
		indent: { left: side, right: side },
		spacing: { before: 0, after: tw(after), line: tw(3), lineRule: 'exact' },
		border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 0 } },
		run: { size: 2 },
		children: [text('', { size: 1 })]
	});
}

/** Times New Roman's width of a line, roughly (about half an em per letter), for the rules. */
const widthOf = (t: string, size: number, upper = false) => t.length * size * (upper ? 0.62 : 0.47);

const NO_BORDERS = TableBorders.NONE;
const LINE: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const GRID = {
	top: LINE,
	bottom: LINE,
	left: LINE,
	right: LINE,
	insideHorizontal: LINE,
	insideVertical: LINE
};

/** A borderless two-column row (the header, the recipients and signature). */
function twoColumns(
	left: (Paragraph | Table)[],
	right: (Paragraph | Table)[],
	share: number
): Table {
	const w = [Math.round(TEXT_TW * share), TEXT_TW - Math.round(TEXT_TW * share)];
	const cell = (children: (Paragraph | Table)[], width: number) =>
		new TableCell({
			children,
			width: { size: width, type: WidthType.DXA },
			margins: { top: 0, bottom: 0, left: 0, right: 0 },
			borders: {
				top: NO_BORDERS.top,
				bottom: NO_BORDERS.bottom,
				left: NO_BORDERS.left,
				right: NO_BORDERS.right
			}
		});
	return new Table({
		width: { size: TEXT_TW, type: WidthType.DXA },
		columnWidths: w,
		layout: TableLayoutType.FIXED,
		borders: NO_BORDERS,
		rows: [new TableRow({ cantSplit: true, children: [cell(left, w[0]), cell(right, w[1])] })]
	});
}

function header(doc: ReportDoc): (Paragraph | Table)[] {
	const h = doc.header;
	const [nation, motto] = nationOf(doc);
	const share = 0.4;
	const leftPt = (TEXT_TW * share) / 20;
	const rightPt = (TEXT_TW * (1 - share)) / 20;
	const issuer = h.issuer.split('\n');
	const left = [
		lines([h.parent], { size: PT.parent }),
		lines(issuer, { size: PT.issuer, bold: true }),
		// Decree 30: rules a third to a half of the line above, the motto's as long as it
		rule(leftPt, Math.min(leftPt * 0.9, widthOf(issuer[0], PT.issuer, true) / 2.5)),
		lines([h.number], { size: PT.number })
	];
	const right = [
		lines([nation], { size: PT.nation, bold: true }),
		lines([motto], { size: PT.motto, bold: true }),
		rule(rightPt, widthOf(motto, PT.motto)),
		lines([h.placeDate], { size: PT.placeDate, italic: true })
	];
	return [
		twoColumns(left, right, share),
		new Paragraph({ spacing: { before: 0, after: tw(12) }, children: [] }),
		lines([h.kind], { size: PT.kind, bold: true }),
		lines(h.title, { size: PT.title, bold: true }),
		rule(TEXT_TW / 20, Math.max(60, widthOf(h.title[0] ?? '', PT.title) / 2.5), 12),
		...(doc.addressee
			? [
					new Paragraph({
						alignment: AlignmentType.CENTER,
						spacing: { before: tw(6), after: tw(12) },
						children: [text(doc.addressee, { size: PT.body })]
					})
				]
			: [])
	];
}

const BODY_SPACING = { before: 0, after: tw(6), line: 288 };

function table(b: Extract<Block, { kind: 'table' }>): (Paragraph | Table)[] {
	const widths = columnWidths(b.columns, TEXT_TW).map(Math.round);
	const cell = (
		t: string,
		i: number,
		opts: { head?: boolean; bold?: boolean; keepNext?: boolean } = {}
	) =>
		new TableCell({
			width: { size: widths[i], type: WidthType.DXA },
			verticalAlign: VerticalAlignTable.CENTER,
			margins: { top: tw(2), bottom: tw(2), left: tw(4), right: tw(4) },
			shading: opts.head ? { fill: 'EDEDED', color: 'auto', type: 'clear' } : undefined,
			children: [
				new Paragraph({
					alignment: ALIGN[opts.head ? 'center' : alignOf(b.columns[i], i)],
					// the last row stays with the note under the table
					keepNext: opts.keepNext,
					// stacked Vietnamese marks need more than a single line's height in some readers
					spacing: { before: 0, after: 0, line: tw(PT.table * 1.25), lineRule: 'atLeast' },
					children: [text(t, { size: PT.table, bold: opts.head || opts.bold })]
				})
			]
		});
	const rows = [
		new TableRow({
			tableHeader: true,
			cantSplit: true,
			children: b.columns.map((c, i) => cell(c.label, i, { head: true }))
		}),
		...b.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((t, i) => cell(t, i)) })),
		...(b.total
			? [
					new TableRow({
						cantSplit: true,
						children: b.total.map((t, i) => cell(t, i, { bold: true, keepNext: !!b.note }))
					})
				]
			: [])
	];
	return [
		new Paragraph({
			alignment: AlignmentType.CENTER,
			keepNext: true,
			spacing: { before: tw(6), after: tw(6) },
			children: [text(b.caption, { size: PT.body, bold: true })]
		}),
		new Table({
			width: { size: TEXT_TW, type: WidthType.DXA },
			columnWidths: widths,
			layout: TableLayoutType.FIXED,
			borders: GRID,
			rows
		}),
		new Paragraph({
			spacing: { before: tw(3), after: tw(8) },
			children: b.note ? [text(b.note, { size: PT.note, italic: true })] : []
		})
	];
}

function chart(b: Extract<Block, { kind: 'chart' }>, doc: ReportDoc): Paragraph[] {
	const svg = chartSvg(b.spec, b.width, b.height, { locale: doc.locale });
	// ImageRun sizes are CSS pixels (96 per inch); the block's size is in points
	const px = (pt: number) => Math.round((pt * 96) / 72);
	return [
		new Paragraph({
			alignment: AlignmentType.CENTER,
			keepNext: true,
			spacing: { before: tw(6), after: 0 },
			children: [
				new ImageRun({
					type: 'svg',
					data: Buffer.from(svg),
					transformation: { width: px(b.width), height: px(b.height) },
					fallback: { type: 'png', data: svgToPng(svg, 2) },
					altText: { name: b.caption, title: b.caption, description: b.caption }
				})
			]
		}),
		new Paragraph({
			alignment: AlignmentType.CENTER,
			spacing: { before: tw(3), after: tw(10) },
			children: [text(b.caption, { size: PT.body - 1, bold: true, italic: true })]
		})
	];
}

function body(doc: ReportDoc): (Paragraph | Table)[] {
	const headings = numberHeadings(doc.blocks);
	const out: (Paragraph | Table)[] = [];
	// the last paragraph goes over with the signature: a signature never stands alone on a page
	const last = doc.blocks.length - 1;
	doc.blocks.forEach((b, i) => {
		switch (b.kind) {
			case 'heading':
				out.push(
					new Paragraph({
						keepNext: true,
						keepLines: true,
						alignment: AlignmentType.JUSTIFIED,
						indent: { firstLine: mmTw(INDENT_MM) },
						spacing: { before: tw(b.level === 1 ? 6 : 3), after: tw(6), line: 288 },
						children: [
							text(headings.get(i) ?? b.text, {
								size: PT.body,
								bold: b.level < 3,
								italic: b.level === 3
							})
						]
					})
				);
				break;
			case 'paragraph':
				out.push(
					new Paragraph({
						alignment: ALIGN[b.align ?? 'justify'],
						indent: b.align === 'center' ? undefined : { firstLine: mmTw(INDENT_MM) },
						keepNext: i === last,
						spacing: BODY_SPACING,
						children: runs(b.runs, PT.body)
					})
				);
				break;
			case 'list':
				for (const item of b.items)
					out.push(
						new Paragraph({
							alignment: AlignmentType.JUSTIFIED,
							indent: { firstLine: mmTw(INDENT_MM) },
							spacing: BODY_SPACING,
							children: [text('- ', { size: PT.body }), ...runs(item, PT.body)]
						})
					);
				break;
			case 'table':
				out.push(...table(b));
				break;
			case 'chart':
				out.push(...chart(b, doc));
				break;
			case 'pagebreak':
				out.push(new Paragraph({ pageBreakBefore: true, children: [] }));
				break;
		}
	});
	return out;
}

function closing(doc: ReportDoc): Table {
	const r = doc.recipients;
	const s = doc.signature;
	const left = [
		new Paragraph({
			spacing: { before: 0, after: 0 },
			children: [text(r.heading, { size: PT.recipientsHeading, bold: true, italic: true })]
		}),
		...r.lines.map(
			(l) =>
				new Paragraph({
					spacing: { before: 0, after: 0, line: 240 },
					children: [text(l, { size: PT.recipients })]
				})
		)
	];
	const right = [
		lines([s.authority, s.title].filter(Boolean), { size: PT.signature, bold: true }),
		// room for the signature and the seal
		new Paragraph({
			spacing: { before: 0, after: 0, line: tw(72), lineRule: 'exact' },
			children: []
		}),
		lines([s.name || ' '], { size: PT.signature, bold: true })
	];
	return twoColumns(left, right, 0.45);
}

/** The report as a DOCX file. */
export async function renderDocx(doc: ReportDoc): Promise<Buffer> {
	const pageNumber = new Header({
		children: [
			new Paragraph({
				alignment: AlignmentType.CENTER,
				children: [
					new TextRun({ children: [PageNumber.CURRENT], size: PT.pageNumber * 2, font: FONT })
				]
			})
		]
	});
	const footer = new Footer({
		children: [
			new Paragraph({
				alignment: AlignmentType.LEFT,
				children: [
					new TextRun({
						text: doc.meta.footer,
						size: PT.footer * 2,
						italics: true,
						color: '595959',
						font: FONT
					})
				]
			})
		]
	});
	const file = new Document({
		title: doc.meta.title,
		subject: doc.meta.subject,
		creator: doc.header.issuer.replace(/\s+/g, ' '),
		description: doc.meta.footer,
		lastModifiedBy: doc.header.issuer.replace(/\s+/g, ' '),
		styles: {
			default: {
				document: {
					run: {
						font: FONT,
						size: PT.body * 2,
						language: { value: doc.locale === 'vi' ? 'vi-VN' : 'en-GB' }
					},
					paragraph: { spacing: { before: 0, after: 0 } }
				}
			}
		},
		sections: [
			{
				properties: {
					// the first page carries no number (Decree 30: numbers from the second page)
					titlePage: true,
					page: {
						size: { width: mmTw(PAGE_MM.width), height: mmTw(PAGE_MM.height) },
						margin: {
							top: mmTw(PAGE_MM.top),
							bottom: mmTw(PAGE_MM.bottom),
							left: mmTw(PAGE_MM.left),
							right: mmTw(PAGE_MM.right),
							header: mmTw(PAGE_NUMBER_MM - 4),
							footer: mmTw(8)
						}
					}
				},
				headers: {
					default: pageNumber,
					first: new Header({ children: [new Paragraph({ children: [] })] })
				},
				footers: { default: footer, first: footer },
				children: [
					...header(doc),
					...body(doc),
					new Paragraph({ keepNext: true, spacing: { before: 0, after: tw(12) }, children: [] }),
					closing(doc)
				]
			}
		]
	});
	return Packer.toBuffer(file);
}
