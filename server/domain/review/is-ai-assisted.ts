/** The arm whose clinicians see the AI segmentation (the randomization engine's default arm key). */
export const AI_ASSISTED_ARM = 'ai_assisted';

/** Whether a participant's arm lets their reviewers see AI output. Every other arm is a control arm. */
export function isAiAssisted(arm: string): boolean {
  return arm === AI_ASSISTED_ARM;
}
