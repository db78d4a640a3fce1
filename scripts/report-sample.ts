/**
 * Write the renderers' sample report (src/lib/server/reports/render/sample.ts) as PDF, DOCX and
 * its charts' SVG to a folder, with the time each took: to look at the layout by hand
 * (`pdftoppm -r 60 -png`, `soffice --headless --convert-to pdf`).
 *   npx tsx scripts/report-sample.ts [folder=/tmp/report-sample] [parts=1] [rows=60]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chartSvg } from '#server/reports/render/chart-svg';
import { renderDocx } from '#server/reports/render/docx';
import { renderPdf } from '#server/reports/render/pdf';
import { sampleReport } from '#server/reports/render/sample';

const [dir = '/tmp/report-sample', parts = '1', rows = '60'] = process.argv.slice(2);
const doc = sampleReport({ parts: Number(parts), rows: Number(rows) });
await mkdir(dir, { recursive: true });

let t = performance.now();
const pdf = await renderPdf(doc);
const pdfMs = performance.now() - t;
t = performance.now();
const docx = await renderDocx(doc);
const docxMs = performance.now() - t;

await writeFile(path.join(dir, 'sample.pdf'), pdf.data);
await writeFile(path.join(dir, 'sample.docx'), docx);
let n = 0;
for (const b of doc.blocks)
	if (b.kind === 'chart')
		await writeFile(path.join(dir, `chart-${++n}.svg`), chartSvg(b.spec, b.width, b.height));
console.log(
	`${dir}: sample.pdf (${pdf.pages} pages, ${Math.round(pdf.data.length / 1024)} kB, ${pdfMs.toFixed(0)} ms), ` +
		`sample.docx (${Math.round(docx.length / 1024)} kB, ${docxMs.toFixed(0)} ms), ${n} chart SVGs`
);
