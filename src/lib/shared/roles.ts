/**
 * Roles, each including the one before it: leader (view) < analyst (drill-down, replay, export)
 * < operator (the alert workflow) < admin (users, rules, tokens).
 */
export const ROLES = ['leader', 'analyst', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: unknown): v is Role {
	return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Whether `role` may do what `need` may. */
export function atLeast(role: Role, need: Role): boolean {
	return ROLES.indexOf(role) >= ROLES.indexOf(need);
}
