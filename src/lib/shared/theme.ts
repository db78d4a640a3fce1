/**
 * The wall's two looks: dark for the video wall in a dim operations room (the default), light for
 * a page that sits among other bright panels (the city IOC's embeds, a lobby screen). `?theme=` on
 * the wall, or an embed token's scope, chooses one.
 */
export const THEMES = ['dark', 'light'] as const;
export type Theme = (typeof THEMES)[number];

export function isTheme(v: unknown): v is Theme {
	return typeof v === 'string' && (THEMES as readonly string[]).includes(v);
}
