/**
 * What a wall or embed token opens. A wall token: the wall and its rotation, read-only, on a
 * kiosk. An embed token: one view for the city's operations centre (IOC) in an iframe, optionally
 * fixed to a language and a theme.
 */
import type { KpiId } from './kpi';
import type { Theme } from './theme';

export type TokenKind = 'wall' | 'embed';

export type EmbedView =
	| { view: 'city' }
	| { view: 'district'; district: string }
	| { view: 'kpi'; kpi: KpiId; district?: string };

export type TokenScope = { view: 'wall' } | (EmbedView & { lang?: 'vi' | 'en'; theme?: Theme });
