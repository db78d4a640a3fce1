/** Read pixels of what Chromium drew (WebGL canvases included) from a screenshot of an element. */
import type { Locator, Page } from '@playwright/test';

export type RGB = [number, number, number];

/**
 * A screenshot of `el`, decoded in the page: the colours at `points` (element-relative CSS px),
 * the share of pixels with relative luminance over 0.6 and the mean luminance (0–1).
 */
async function screenshotPixels(
	page: Page,
	el: Locator,
	points: [number, number][]
): Promise<{ colours: RGB[]; lightShare: number; mean: number }> {
	const png = (await el.screenshot()).toString('base64');
	return page.evaluate(
		async ({ png, points }) => {
			const img = new Image();
			img.src = `data:image/png;base64,${png}`;
			await img.decode();
			const c = document.createElement('canvas');
			c.width = img.width;
			c.height = img.height;
			const ctx = c.getContext('2d')!;
			ctx.drawImage(img, 0, 0);
			const d = ctx.getImageData(0, 0, c.width, c.height).data;
			let light = 0;
			let sum = 0;
			for (let i = 0; i < d.length; i += 4) {
				const y = (0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2]) / 255;
				sum += y;
				if (y > 0.6) light++;
			}
			const colours = points.map(([x, y]) => {
				const i = (Math.round(y) * c.width + Math.round(x)) * 4;
				return [d[i], d[i + 1], d[i + 2]] as [number, number, number];
			});
			return { colours, lightShare: light / (d.length / 4), mean: sum / (d.length / 4) };
		},
		{ png, points }
	);
}

/** Colours at `points` (element-relative CSS px) of a screenshot of `el`. */
export async function pixelsAt(
	page: Page,
	el: Locator,
	points: [number, number][]
): Promise<RGB[]> {
	return (await screenshotPixels(page, el, points)).colours;
}

/** How much of a screenshot of `el` is light: the share of pixels with relative luminance over 0.6, and the mean luminance. */
export async function lightness(
	page: Page,
	el: Locator
): Promise<{ lightShare: number; mean: number }> {
	const { lightShare, mean } = await screenshotPixels(page, el, []);
	return { lightShare, mean };
}

export const near = (a: RGB, b: RGB, tol = 40) =>
	Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) <= tol;

/** Where the map puts a longitude/latitude, in px relative to the map element. */
export async function project(page: Page, lon: number, lat: number): Promise<[number, number]> {
	return page.evaluate(
		([lon, lat]) =>
			(
				window as unknown as { __wallMap: { project(a: number, b: number): [number, number] } }
			).__wallMap.project(lon, lat),
		[lon, lat]
	);
}
