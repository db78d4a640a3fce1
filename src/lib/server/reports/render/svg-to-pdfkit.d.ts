/** svg-to-pdfkit ships no types: the one function the PDF renderer calls, with the options it uses. */
declare module 'svg-to-pdfkit' {
	interface SvgToPdfOptions {
		width?: number;
		height?: number;
		/** SVG user units are points (not 1/96 inch) */
		assumePt?: boolean;
		preserveAspectRatio?: string;
		/** the registered pdfkit font for an SVG font family */
		fontCallback?: (family: string, bold: boolean, italic: boolean) => string;
		warningCallback?: (message: string) => void;
	}
	export default function SVGtoPDF(
		doc: PDFKit.PDFDocument,
		svg: string,
		x: number,
		y: number,
		options?: SvgToPdfOptions
	): void;
}
