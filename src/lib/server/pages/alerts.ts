/**
 * Alerts as a scoped account sees them: an alert of another area is, for it, no alert at all
 * (the same 404, the same refusal of an acknowledgement or a comment).
 */
import { getAlert } from '../store/alerts';
import type { AreaFilter } from '../../shared/scope';
import type { Runtime } from '../app-runtime';

/** The alert if it exists and lies in the scope; undefined otherwise (the caller cannot tell which). */
export async function scopedAlert(rt: Runtime, f: AreaFilter, id: string) {
	const a = await getAlert(rt.store, id);
	return a && f.touches(a.school_id, a.district_id) ? a : undefined;
}

/** The id to act on: the alert's own when it is in the scope, else one no alert has (so the store answers "unknown" in its usual order of checks). */
export async function actionTarget(rt: Runtime, f: AreaFilter, id: string): Promise<string> {
	return f.all || (await scopedAlert(rt, f, id)) ? id : '';
}
