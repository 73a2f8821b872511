/**
 * The roles of SegTrial. A user holds exactly one; trial and site access come from memberships.
 * 'dsmb': a member of the independent data monitoring committee, who reads the closed (by-arm)
 * interim reports and records signed recommendations, and nothing else of the trial's conduct.
 */
export const ROLES = ['admin', 'coordinator', 'clinician', 'statistician', 'monitor', 'dsmb'] as const;
export type Role = (typeof ROLES)[number];
