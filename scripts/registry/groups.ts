/** School groups (single levels plus the two multi-level kinds), their names and plan-83 rows. */
import type { SchoolLevel } from '#shared/registry';
import { fail } from './random';

export type Group = 'preschool' | 'primary' | 'th_thcs' | 'lower' | 'thcs_thpt' | 'upper';
export const GROUPS: Group[] = ['preschool', 'primary', 'th_thcs', 'lower', 'thcs_thpt', 'upper'];
export const GROUP_LEVELS: Record<Group, SchoolLevel[]> = {
	preschool: ['preschool'],
	primary: ['primary'],
	th_thcs: ['primary', 'lower_secondary'],
	lower: ['lower_secondary'],
	thcs_thpt: ['lower_secondary', 'upper_secondary'],
	upper: ['upper_secondary']
};
export const GROUP_PREFIX: Record<Group, string> = {
	preschool: 'Trường Mầm non',
	primary: 'Trường Tiểu học',
	th_thcs: 'Trường TH&THCS',
	lower: 'Trường THCS',
	thcs_thpt: 'Trường THCS&THPT',
	upper: 'Trường THPT'
};
/** Which roll-out row of plan 83 (by school level) a group falls under. */
export type Category = 'primary' | 'lower_secondary' | 'upper_secondary';
export const GROUP_CATEGORY: Record<Group, Category | null> = {
	preschool: null,
	primary: 'primary',
	th_thcs: 'lower_secondary',
	lower: 'lower_secondary',
	thcs_thpt: 'upper_secondary',
	upper: 'upper_secondary'
};

export function groupOf(levels: readonly SchoolLevel[]): Group {
	const key = [...levels].sort().join('+');
	for (const g of GROUPS) if ([...GROUP_LEVELS[g]].sort().join('+') === key) return g;
	return fail(`no group for levels ${key}`);
}
