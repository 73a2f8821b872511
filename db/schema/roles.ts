/** The five roles of SegTrial. A user holds exactly one; trial and site access come from memberships. */
export const ROLES = ['admin', 'coordinator', 'clinician', 'statistician', 'monitor'] as const;
export type Role = (typeof ROLES)[number];
