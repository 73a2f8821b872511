/**
 * The typed catalogue of audit events. Every change to trial data writes exactly one of these, in
 * the same transaction as the change. Add new events here (one comment each) as features land.
 */
export const AUDIT_EVENTS = {
  /** An account was created (by an admin, the CLI or the demo seed). */
  'user.created': 'Account created',
  /** A successful login started a session. */
  'user.login': 'Logged in',
  /** A login failed (wrong password, locked or disabled account). Username only, never the password. */
  'user.login_failed': 'Login failed',
  /** Repeated failures locked the account until a given time. */
  'user.locked': 'Account locked after failed logins',
  /** A session was ended by its user. */
  'user.logout': 'Logged out',
  /** A trial was created. */
  'trial.created': 'Trial created',
  /** A site was added to a trial. */
  'site.created': 'Site added to trial',
  /** A user was given access to a trial (and optionally one site). */
  'membership.granted': 'Trial access granted',
  /** A trial's design (arms, randomization, eligibility, target size, arm visibility) was saved. */
  'trial.design_updated': 'Trial design updated',
  /** The trial entered test mode: test allocations may be made with a test seed. */
  'trial.test_mode_started': 'Test mode started',
  /** The trial went live: design frozen, test data wiped, live seed committed. */
  'trial.went_live': 'Trial went live',
  /** A randomization design simulation was run before go-live and kept (settings, stream seed, figures' hash). */
  'randomization.design_simulated': 'Randomization design simulated',
  /** A participant was enrolled (pseudonymous study ID, covariates, eligibility, consent). */
  'participant.enrolled': 'Participant enrolled',
  /** A participant was excluded before randomization, with the reason (CONSORT). */
  'participant.excluded': 'Participant excluded before randomization',
  /** A participant was randomized; the row records the arm and the engine's provenance. */
  'participant.randomized': 'Participant randomized',
  /** A withdrawal, loss to follow-up or protocol deviation was recorded. */
  'participant.event_recorded': 'Participant event recorded',
  /** Emergency unblinding: a participant's arm was revealed to a user, with a reason. */
  'participant.unblinded': 'Participant unblinded (emergency)',
  /** An MRI study was uploaded and spooled for ingest (the files' names and sizes; ingest is a job). */
  'study.uploaded': 'MRI study uploaded',
  /** An MRI study was validated, de-identified, co-registered and stored. */
  'study.ingested': 'MRI study ingested',
  /** A study upload was refused (the reason and file are recorded; nothing was stored). */
  'study.rejected': 'MRI study rejected',
  /** The coordinator confirmed (or corrected) which file of an uploaded case is which sequence; ingest was queued. */
  'study.mapping_confirmed': 'Sequence mapping confirmed',
  /** The coordinator discarded an upload waiting for confirmation (its files were removed, nothing ingested). */
  'study.upload_discarded': 'Study upload discarded',
  /** A segmentation model was registered (name, version, hash, card). */
  'model.registered': 'Model registered',
  /** The trial pinned a model version (when it went live). */
  'trial.model_pinned': 'Model version pinned',
  /** An AI segmentation was stored (blinded when the participant is in the control arm). */
  'segmentation.created': 'AI segmentation created',
  /** A follow-up outcome (reference standard, reference segmentation, patient outcome) was recorded. */
  'outcome.recorded': 'Follow-up outcome recorded',
  /** A follow-up outcome was corrected: a new record superseding the previous one. */
  'outcome.corrected': 'Follow-up outcome corrected',
  /** A follow-up contact (vital status, progression with date and basis) was recorded for the survival analyses. */
  'follow_up_visit.recorded': 'Follow-up visit recorded',
  /** A follow-up contact was corrected: a new record superseding the previous one. */
  'follow_up_visit.corrected': 'Follow-up visit corrected',
  /** A clinician opened a case for the first time (start of time on task). */
  'review.opened': 'Case opened for review',
  /** A clinician accepted, edited (new label map stored beside the AI's) or rejected the AI segmentation. */
  'review.segmentation_reviewed': 'AI segmentation reviewed',
  /** A clinician signed a decision (password re-entered; name, UTC time and meaning recorded). */
  'review.signed': 'Decision signed',
  /** A signed decision was corrected by a new signed decision linked to it (the old one is kept). */
  'review.corrected': 'Signed decision corrected',
  /** A signature failed: wrong password (counts toward the account lockout). */
  'review.signature_failed': 'Signature failed',
  /** A study was assigned to a participant's imaging visit (baseline or follow-up), or the visit was recorded as missed; follow-ups carry their registration to the baseline. */
  'followup.visit_recorded': 'Imaging visit recorded',
  /** A clinician signed a RANO response assessment of a follow-up visit (suggestion, category, override reason). */
  'followup.rano_signed': 'RANO assessment signed',
  /** A signed RANO assessment was corrected by a new signed assessment linked to it. */
  'followup.rano_corrected': 'RANO assessment corrected',
  /** A statistician's export (CSV, JSON, dataset, data dictionary or PDF report) was produced; records the data snapshot hash and time it came from. */
  'export.created': 'Analysis export created',
  /** A signed waiver of a participant's failed (waivable) eligibility criteria, with its reason. */
  'participant.eligibility_waived': 'Eligibility criteria waived (signed)',
  /** A monitor acknowledged an emergency unblinding. */
  'unblinding.acknowledged': 'Emergency unblinding acknowledged by monitor',
  /** The audit trail was viewed (filters recorded): reading the trail is itself audited. */
  'audit.viewed': 'Audit trail viewed',
  /** The audit trail was exported (format, filters, row count and last chain hash recorded). */
  'audit.exported': 'Audit trail exported',
  /** An admin changed an account: display name, role, deactivation or reactivation, unlocking. */
  'user.updated': 'Account changed',
  /** An admin issued a one-time password-reset link (only the token's hash is stored). */
  'user.password_reset_issued': 'Password-reset link issued',
  /** A user set a new password through a one-time reset link. */
  'user.password_reset': 'Password reset through link',
  /** A user's trial access was changed (blinding variant, right to randomize) or removed. */
  'membership.updated': 'Trial access changed',
  'membership.revoked': 'Trial access removed',
  /** A monitor raised a query on a data point of a participant. */
  'query.raised': 'Data query raised',
  /** The site answered a data query (a data correction is its own signed record). */
  'query.answered': 'Data query answered',
  /** The monitor closed a data query. */
  'query.closed': 'Data query closed',
  /** A monitor marked a field of a record verified against source documents. */
  'sdv.verified': 'Source data verified',
  /** A signed, dated, versioned protocol amendment took effect. */
  'protocol.amended': 'Protocol amended',
  /** The statistician locked and signed version 1 of the statistical analysis plan (content hash, signature). */
  'analysis_plan.locked': 'Analysis plan locked and signed',
  /** A signed amendment of the analysis plan: a new version with its reason. */
  'analysis_plan.amended': 'Analysis plan amended',
  /** A DSMB member (or unblinded statistician) read or exported the closed, by-arm interim report. */
  'dsmb.closed_report_viewed': 'DSMB closed report viewed',
  /** The open (pooled, no arm) interim report was read or exported. */
  'dsmb.open_report_viewed': 'DSMB open report viewed',
  /** The DSMB recorded a signed recommendation (continue, modify, stop for efficacy, futility or harm). */
  'dsmb.recommendation_recorded': 'DSMB recommendation recorded',
  /** A coordinator asked for a PACS study's confirmed series to be retrieved for a participant (queued as a job). */
  'pacs.retrieve_queued': 'PACS retrieve queued',
  /** A PACS retrieve was refused (a series failed the DICOM checks or ingest): the reason, nothing stored. */
  'pacs.retrieve_refused': 'PACS retrieve refused',
  /** A study was retrieved from the hospital PACS (DICOMweb) and ingested: the DICOM study and series UIDs per sequence. */
  'pacs.study_retrieved': 'Study retrieved from the PACS',
  /** DICOM SEG and SR results were sent to the PACS (STOW-RS) or downloaded: which segmentation, which objects. */
  'pacs.results_sent': 'Results sent as DICOM SEG/SR',
  /** A control chart of the AI's oversight crossed its limit: an alert with its evidence (chart, limits, cases where no arm is revealed). */
  'oversight.alert_raised': 'AI oversight alert raised',
  /** A monitor or admin acknowledged an oversight alert with a comment. */
  'oversight.alert_acknowledged': 'AI oversight alert acknowledged',
  /** An admin suspended the AI for a trial or a site (signed, with a reason). */
  'ai.suspended': 'AI suspended',
  /** An admin resumed the AI for a trial or a site (signed, with a reason). */
  'ai.resumed': 'AI resumed',
  /** A clinician opened an assisted-arm case while the AI was suspended: reviewed without AI, a protocol deviation. */
  'ai.unavailable_for_case': 'Case reviewed without AI (AI suspended)',
  /** AI output (the segmentation's outline and figures) was shown to a clinician: once per reader and segmentation. */
  'ai.output_displayed': 'AI output shown to a clinician',
  /** An admin started running a candidate model version in shadow on a trial's studies (never shown; compared with the pinned one). */
  'model.shadow_evaluation_started': 'Candidate model run in shadow',
  /** The AI event log of a trial was exported (JSON Lines; event count and the audit chain head it was checked against). */
  'ai.event_log_exported': 'AI event log exported',
  /** The demo trial and accounts were created on first start of an empty database. */
  'demo.seeded': 'Demo data created',
  /** The demo's SIMULATED model scores and reader decisions were written for its simulated participants (simulated_reads). */
  'demo.simulated_reads_seeded': 'Demo simulated reads created',
} as const;

export type AuditAction = keyof typeof AUDIT_EVENTS;
