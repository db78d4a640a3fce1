/** Strings of the Plan 83 view (/plan83). Vietnamese first; English must have the same keys. */
export const plan83Vi = {
	'plan83.title': 'Kế hoạch 83: lộ trình triển khai'
} as const;

export const plan83En: Record<keyof typeof plan83Vi, string> = {
	'plan83.title': 'Plan 83: roll-out'
};
