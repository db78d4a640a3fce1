/**
 * A report as a PDF with the DOCX's layout (Decree 30/2020/NĐ-CP: A4, its margins, the
 * two-column header, kind and title centred, "Nơi nhận" beside the signature), laid out by hand
 * on pdfkit in DejaVu Serif (embedded: every Vietnamese letter, on any machine). Tables wrap
 * their cells, break across pages and repeat their header row; charts are vectors (the same SVG
 * as the DOCX's, through svg-to-pdfkit); pages from the second carry their number at the top.
 */
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { Block, ReportDoc, Run } from '../doc';
import { chartSvg } from './chart-svg';
import {
	INDENT_MM,
	PAGE_MM,
	PAGE_NUMBER_MM,
	PT,
	alignOf,
	columnWidths,
	mm,
	nationOf,
	numberHeadings,
	serifFonts,
	type FontStyle
} from './layout';

type Pdf = PDFKit.PDFDocument;
type Align = 'left' | 'center' | 'right' | 'justify';

const MARGINS = {
	top: mm(PAGE_MM.top),
	bottom: mm(PAGE_MM.bottom),
	left: mm(PAGE_MM.left),
	right: mm(PAGE_MM.right)
};
/**
 * The faces by their files' paths, which pdfkit caches fonts under: registered under other
 * names, the regular face (also the document's first font) was opened again on every switch,
 * because pdfkit 0.20 returns its already-open twin without caching the new name.
 */
let FONT: Record<FontStyle, string> | null = null;
const faces = () => (FONT ??= serifFonts());
const fontOf = (bold?: boolean, italic?: boolean) =>
	faces()[bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular'];
/** extra space between lines, as a share of the type size (about 1.2 lines in all) */
const LINE_GAP = 0.12;
const CELL_PAD = { x: 4, y: 2.5 };

interface Piece {
	text: string;
	font: string;
	width: number;
}
/** a word: pieces of text in one or more faces with no space between them ("bộ" + ".") */
type Word = Piece[];
const wordWidth = (w: Word) => w.reduce((t, p) => t + p.width, 0);

interface ParagraphOptions {
	size?: number;
	align?: Align;
	indent?: number;
	/** space after, in points (default 6) */
	after?: number;
	/** a list item's mark ("-"), set before the first word */
	lead?: string;
}
/** a paragraph broken into lines */
interface Laid {
	lines: Word[][];
	lineH: number;
	space: number;
	size: number;
	indent: number;
	/** all its lines and the space after */
	height: number;
}

/** The layout state: the document, its text box, and where the next block starts. */
class Page {
	readonly left = MARGINS.left;
	readonly width: number;
	/** the cursor: our own, since pdfkit moves its `y` with every text it draws */
	y = MARGINS.top;
	constructor(readonly pdf: Pdf) {
		this.width = pdf.page.width - MARGINS.left - MARGINS.right;
	}
	get bottom() {
		return this.pdf.page.height - MARGINS.bottom;
	}
	/** a new page unless `h` points still fit on this one */
	ensure(h: number): boolean {
		if (this.y + h <= this.bottom || this.y <= MARGINS.top) return false;
		this.newPage();
		return true;
	}
	newPage() {
		this.pdf.addPage();
		this.y = MARGINS.top;
	}
	style(size: number, bold?: boolean, italic?: boolean) {
		this.pdf.font(fontOf(bold, italic)).fontSize(size);
		return this;
	}
	heightOf(text: string, width: number, size: number, bold?: boolean, italic?: boolean) {
		this.style(size, bold, italic);
		// one line (most table cells): its height without running pdfkit's line wrapper
		if (!text.includes('\n') && this.pdf.widthOfString(text) <= width)
			return this.pdf.currentLineHeight(true) + size * LINE_GAP;
		return this.pdf.heightOfString(text || ' ', { width, lineGap: size * LINE_GAP });
	}
	/** draw `text` wrapped in a box at (x, y) without moving the cursor; returns its height */
	box(
		text: string,
		x: number,
		y: number,
		width: number,
		size: number,
		o: { bold?: boolean; italic?: boolean; align?: Align } = {}
	): number {
		const h = this.heightOf(text, width, size, o.bold, o.italic);
		this.style(size, o.bold, o.italic)
			.pdf.fillColor('#000000')
			.text(text, x, y, {
				width,
				align: o.align ?? 'center',
				lineGap: size * LINE_GAP
			});
		return h;
	}
	/** lines of one style, each centred (or aligned) in a column; returns the height used */
	lines(
		ls: string[],
		x: number,
		y: number,
		width: number,
		size: number,
		o: { bold?: boolean; italic?: boolean; align?: Align } = {}
	): number {
		let h = 0;
		for (const l of ls) h += this.box(l, x, y + h, width, size, o);
		return h;
	}
	rule(x: number, y: number, length: number, width = 0.6) {
		this.pdf
			.moveTo(x, y)
			.lineTo(x + length, y)
			.lineWidth(width)
			.strokeColor('#000000')
			.stroke();
	}
	/**
	 * One paragraph of runs (bold and italic spans), laid out here word by word: pdfkit's own
	 * wrapping justifies each span of a `continued` text separately and eats the space after a
	 * span. Justified (but for its last line), with a first-line indent; breaks across pages.
	 */
	/** a paragraph broken into lines (without drawing it) */
	layout(rs: Run[], o: ParagraphOptions = {}): Laid | null {
		const size = o.size ?? PT.body;
		const indent = o.indent ?? mm(INDENT_MM);
		const words: Word[] = [];
		let open = false;
		for (const r of rs) {
			const run = typeof r === 'string' ? { text: r } : r;
			const font = fontOf(run.bold, run.italic);
			this.pdf.font(font).fontSize(size);
			for (const tok of run.text.split(/(\s+)/)) {
				if (tok === '') continue;
				if (/^\s+$/.test(tok)) {
					open = false;
					continue;
				}
				const piece = { text: tok, font, width: this.pdf.widthOfString(tok) };
				if (open) words[words.length - 1].push(piece);
				else words.push([piece]);
				open = true;
			}
		}
		if (words.length === 0) return null;
		const space = this.style(size).pdf.widthOfString(' ');
		// a list's dash and its space stay fixed before the first word (never stretched)
		if (o.lead)
			words[0].unshift({
				text: o.lead,
				font: fontOf(),
				width: this.pdf.widthOfString(o.lead) + space
			});
		const lineH = this.pdf.currentLineHeight(true) + size * LINE_GAP;
		// greedy lines
		const lines: Word[][] = [];
		let line: Word[] = [];
		let used = 0;
		for (const w of words) {
			const avail = this.width - (lines.length === 0 ? indent : 0);
			const ww = wordWidth(w);
			if (line.length > 0 && used + space + ww > avail) {
				lines.push(line);
				line = [];
				used = 0;
			}
			used += (line.length > 0 ? space : 0) + ww;
			line.push(w);
		}
		lines.push(line);
		return { lines, lineH, space, size, indent, height: lines.length * lineH + (o.after ?? 6) };
	}
	/**
	 * One paragraph of runs (bold and italic spans), laid out here word by word: pdfkit's own
	 * wrapping justifies each span of a `continued` text separately and eats the space after a
	 * span. Justified (but for its last line), with a first-line indent; breaks across pages.
	 */
	paragraph(rs: Run[], o: ParagraphOptions = {}) {
		const laid = this.layout(rs, o);
		if (!laid) return;
		const { lines, lineH, space, size, indent } = laid;
		const align = o.align ?? 'justify';
		// keep a paragraph's first two lines together: no lone line at a page's foot
		this.ensure(Math.min(2, lines.length) * lineH);
		lines.forEach((ws, n) => {
			if (this.y + lineH > this.bottom + size * LINE_GAP) this.newPage();
			const x0 = this.left + (n === 0 ? indent : 0);
			const avail = this.width - (n === 0 ? indent : 0);
			const natural = ws.reduce((t, w) => t + wordWidth(w), 0) + space * (ws.length - 1);
			const last = n === lines.length - 1;
			let gap = space;
			let x = x0;
			if (align === 'justify' && !last && ws.length > 1)
				gap = space + (avail - natural) / (ws.length - 1);
			else if (align === 'center') x = x0 + (avail - natural) / 2;
			else if (align === 'right') x = x0 + avail - natural;
			for (const w of ws) {
				for (const piece of w) {
					this.pdf
						.font(piece.font)
						.fontSize(size)
						.fillColor('#000000')
						.text(piece.text, x, this.y, { lineBreak: false });
					x += piece.width;
				}
				x += gap;
			}
			this.y += lineH;
		});
		this.y += o.after ?? 6;
	}
}

/**
 * DejaVu Serif runs about a tenth wider than Times New Roman, for which Decree 30 gives its
 * sizes: the header's lines and the tables' cells are set this much smaller, so they keep the
 * DOCX's line breaks (the header one line each, a school's name one line in its cell).
 */
const DEJAVU_SCALE = 0.94;

function header(p: Page, doc: ReportDoc) {
	const h = doc.header;
	const [nation, motto] = nationOf(doc);
	const k = DEJAVU_SCALE;
	// the two columns reach a little into the margins (as offices' templates do), so that the
	// national heading keeps one line in DejaVu Serif
	const x0 = p.left - 10;
	const total = p.width + 14;
	const fit = (t: string, w: number, size: number, bold = false) => {
		const tw = p.style(size, bold).pdf.widthOfString(t);
		return tw > w ? (size * w) / tw : size;
	};
	// the national heading sets the right column's width; the issuer's column takes the rest
	const nationW = p.style(PT.nation * k, true).pdf.widthOfString(nation);
	const rightW = Math.min(total * 0.64, Math.max(total * 0.56, nationW + 10));
	const leftW = total - rightW;

	// left: the level above, the issuer (bold) with a short rule, the number
	let y = MARGINS.top;
	y += p.lines([h.parent], x0, y, leftW, fit(h.parent, leftW - 4, PT.parent * k));
	const issuerLines = h.issuer.split('\n');
	const issuerSize = Math.min(...issuerLines.map((l) => fit(l, leftW - 4, PT.issuer * k, true)));
	y += p.lines(issuerLines, x0, y, leftW, issuerSize, { bold: true });
	const issuerW = p.style(issuerSize, true).pdf.widthOfString(issuerLines[0]);
	const ruleL = Math.max(40, issuerW / 2.5);
	p.rule(x0 + (leftW - ruleL) / 2, y + 2, ruleL);
	y += 6;
	y += p.lines([h.number], x0, y, leftW, PT.number * k);
	const leftEnd = y;

	// right: the national heading, the motto with a rule as long as it, place and date
	const rx = x0 + leftW;
	y = MARGINS.top;
	y += p.lines([nation], rx, y, rightW, fit(nation, rightW, PT.nation * k, true), { bold: true });
	const mottoSize = fit(motto, rightW, PT.motto * k, true);
	y += p.lines([motto], rx, y, rightW, mottoSize, { bold: true });
	const mottoW = p.style(mottoSize, true).pdf.widthOfString(motto);
	p.rule(rx + (rightW - mottoW) / 2, y + 2, mottoW);
	y += 8;
	y += p.lines([h.placeDate], rx, y, rightW, PT.placeDate * k, { italic: true });

	// the kind and title, centred, a short rule under the title, then "Kính gửi"
	y = Math.max(leftEnd, y) + 20;
	y += p.lines([h.kind], p.left, y, p.width, PT.kind, { bold: true });
	y += p.lines(h.title, p.left, y, p.width, PT.title, { bold: true });
	const titleW = Math.max(...h.title.map((t) => p.style(PT.title, true).pdf.widthOfString(t)));
	const titleRule = Math.max(60, titleW / 2.5);
	p.rule(p.left + (p.width - titleRule) / 2, y + 3, titleRule);
	y += 14;
	if (doc.addressee) y += p.lines([doc.addressee], p.left, y, p.width, PT.body) + 6;
	p.y = y + 6;
}

function heading(p: Page, text: string, level: 1 | 2 | 3) {
	const size = PT.body;
	const h = p.heightOf(text, p.width - mm(INDENT_MM), size, level < 3, level === 3);
	if (p.y > MARGINS.top) p.y += level === 1 ? 6 : 3;
	// keep a heading with the first lines that follow it
	p.ensure(h + 3 * size * 1.3);
	p.paragraph([{ text, bold: level < 3, italic: level === 3 }], { size, after: 4 });
}

function table(p: Page, b: Extract<Block, { kind: 'table' }>) {
	const widths = columnWidths(b.columns, p.width);
	const size = PT.table * DEJAVU_SCALE;
	/** each cell's text height, and the row's */
	const measure = (cells: string[], bold: boolean) => {
		const hs = cells.map((t, i) => p.heightOf(t, widths[i] - 2 * CELL_PAD.x, size, bold));
		return { hs, h: Math.max(...hs, size * 1.2) + 2 * CELL_PAD.y };
	};
	const draw = (
		cells: string[],
		y: number,
		m: { hs: number[]; h: number },
		o: { head?: boolean; bold?: boolean }
	) => {
		let x = p.left;
		cells.forEach((t, i) => {
			const w = widths[i];
			if (o.head) p.pdf.rect(x, y, w, m.h).fillColor('#ededed').fill();
			p.pdf.rect(x, y, w, m.h).lineWidth(0.5).strokeColor('#000000').stroke();
			const th = m.hs[i] - size * LINE_GAP;
			p.style(size, o.head || o.bold)
				.pdf.fillColor('#000000')
				.text(t, x + CELL_PAD.x, y + Math.max(CELL_PAD.y, (m.h - th) / 2), {
					width: w - 2 * CELL_PAD.x,
					align: o.head ? 'center' : alignOf(b.columns[i], i),
					lineGap: size * LINE_GAP
				});
			x += w;
		});
	};
	const head = b.columns.map((c) => c.label);
	const headM = measure(head, true);
	const captionH = p.heightOf(b.caption, p.width, PT.body, true);
	const rows = b.rows.map((r) => ({ cells: r, bold: false }));
	if (b.total) rows.push({ cells: b.total, bold: true });
	const measured = rows.map((r) => measure(r.cells, r.bold));

	// the caption stays with the header row and the first row
	p.ensure(captionH + 6 + headM.h + (measured[0]?.h ?? 0));
	p.y += p.lines([b.caption], p.left, p.y, p.width, PT.body, { bold: true }) + 2;
	draw(head, p.y, headM, { head: true });
	p.y += headM.h;
	rows.forEach((r, n) => {
		const m = measured[n];
		if (p.ensure(m.h)) {
			// a new page: the header row again
			draw(head, p.y, headM, { head: true });
			p.y += headM.h;
		}
		draw(r.cells, p.y, m, { bold: r.bold });
		p.y += m.h;
	});
	p.y += 3;
	if (b.note) {
		p.ensure(p.heightOf(b.note, p.width, PT.note, false, true));
		p.y += p.lines([b.note], p.left, p.y, p.width, PT.note, { italic: true, align: 'left' });
	}
	p.y += 8;
}

function chart(p: Page, b: Extract<Block, { kind: 'chart' }>, doc: ReportDoc) {
	const captionH = p.heightOf(b.caption, p.width, PT.body - 1, true, true);
	// a chart wider than the text is scaled down to it
	const k = Math.min(1, p.width / b.width);
	const w = b.width * k;
	const h = b.height * k;
	p.ensure(6 + h + 4 + captionH);
	p.y += 6;
	const svg = chartSvg(b.spec, b.width, b.height, { locale: doc.locale });
	SVGtoPDF(p.pdf, svg, p.left + (p.width - w) / 2, p.y, {
		width: w,
		height: h,
		assumePt: true,
		fontCallback: (_family: string, bold: boolean, italic: boolean) => fontOf(bold, italic)
	});
	p.y += h + 4;
	p.y += p.lines([b.caption], p.left, p.y, p.width, PT.body - 1, { bold: true, italic: true }) + 8;
}

/** Room left between the signing title and the name: the signature and the seal. */
const SIGN_SPACE = 72;

/** The closing's height: "Nơi nhận" on the left, the signature on the right. */
function closingHeight(p: Page, doc: ReportDoc): number {
	const { leftW, rightW } = closingColumns(p);
	const r = doc.recipients;
	const s = doc.signature;
	const leftH =
		p.heightOf(r.heading, leftW, PT.recipientsHeading, true, true) +
		r.lines.reduce((t, l) => t + p.heightOf(l, leftW, PT.recipients), 0);
	const rightH =
		[s.authority, s.title]
			.filter(Boolean)
			.reduce((t, l) => t + p.heightOf(l, rightW, PT.signature, true), 0) +
		SIGN_SPACE +
		p.heightOf(s.name || ' ', rightW, PT.signature, true);
	return 12 + Math.max(leftH, rightH);
}
const closingColumns = (p: Page) => ({ leftW: p.width * 0.45, rightW: p.width * 0.55 });

function closing(p: Page, doc: ReportDoc) {
	const { leftW, rightW } = closingColumns(p);
	const r = doc.recipients;
	const s = doc.signature;
	p.ensure(closingHeight(p, doc));
	p.y += 12;
	const y = p.y;
	let ly =
		y +
		p.lines([r.heading], p.left, y, leftW, PT.recipientsHeading, {
			bold: true,
			italic: true,
			align: 'left'
		});
	for (const l of r.lines) ly += p.lines([l], p.left, ly, leftW, PT.recipients, { align: 'left' });
	const rx = p.left + leftW;
	let ry =
		y +
		p.lines([s.authority, s.title].filter(Boolean), rx, y, rightW, PT.signature, {
			bold: true
		});
	ry += SIGN_SPACE;
	if (s.name) ry += p.lines([s.name], rx, ry, rightW, PT.signature, { bold: true });
	p.y = Math.max(ly, ry);
}

/** Page numbers at the top from the second page, and the generated-by line at every foot. */
function furniture(pdf: Pdf, doc: ReportDoc): number {
	const range = pdf.bufferedPageRange();
	const width = pdf.page.width - MARGINS.left - MARGINS.right;
	for (let i = range.start; i < range.start + range.count; i++) {
		pdf.switchToPage(i);
		// text in the margins: without a zero bottom margin pdfkit would start a new page
		const bottom = pdf.page.margins.bottom;
		pdf.page.margins.bottom = 0;
		if (i > range.start)
			pdf
				.font(faces().regular)
				.fontSize(PT.pageNumber)
				.fillColor('#000000')
				.text(String(i - range.start + 1), MARGINS.left, mm(PAGE_NUMBER_MM) - PT.pageNumber / 2, {
					width,
					align: 'center',
					lineBreak: false
				});
		if (doc.meta.footer)
			pdf
				.font(faces().italic)
				.fontSize(PT.footer)
				.fillColor('#595959')
				.text(doc.meta.footer, MARGINS.left, pdf.page.height - mm(14), {
					width,
					align: 'left'
				});
		pdf.page.margins.bottom = bottom;
	}
	return range.count;
}

/** The report as a PDF, and its number of pages. */
export async function renderPdf(doc: ReportDoc): Promise<{ data: Buffer; pages: number }> {
	const fonts = faces();
	const created = new Date(doc.meta.generatedAt);
	const pdf = new PDFDocument({
		size: 'A4',
		margins: MARGINS,
		bufferPages: true,
		// the embedded serif from the start: no standard Helvetica is loaded or referenced
		font: fonts.regular,
		lang: doc.locale === 'vi' ? 'vi-VN' : 'en-GB',
		displayTitle: true,
		info: {
			Title: doc.meta.title,
			Subject: doc.meta.subject,
			Author: doc.header.issuer.replace(/\s+/g, ' '),
			Creator: doc.meta.footer,
			Producer: 'pdfkit',
			CreationDate: Number.isNaN(created.getTime()) ? new Date() : created
		}
	});
	const chunks: Buffer[] = [];
	pdf.on('data', (c: Buffer) => chunks.push(c));
	const done = new Promise<void>((resolve, reject) => {
		pdf.on('end', resolve);
		pdf.on('error', reject);
	});

	const p = new Page(pdf);
	header(p, doc);
	const headings = numberHeadings(doc.blocks);
	doc.blocks.forEach((b, i) => {
		switch (b.kind) {
			case 'heading':
				return heading(p, headings.get(i) ?? b.text, b.level);
			case 'paragraph': {
				const o = { align: b.align ?? 'justify', indent: b.align === 'center' ? 0 : undefined };
				// the last paragraph goes over with the signature: a signature never stands alone
				if (i === doc.blocks.length - 1)
					p.ensure((p.layout(b.runs, o)?.height ?? 0) + closingHeight(p, doc));
				return p.paragraph(b.runs, o);
			}
			case 'list':
				for (const item of b.items) p.paragraph(item, { after: 3, lead: '-' });
				p.y += 3;
				return;
			case 'table':
				return table(p, b);
			case 'chart':
				return chart(p, b, doc);
			case 'pagebreak':
				return p.newPage();
		}
	});
	closing(p, doc);
	const pages = furniture(pdf, doc);
	pdf.end();
	await done;
	return { data: Buffer.concat(chunks), pages };
}
