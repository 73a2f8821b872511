/** What an admin's signature on the AI's stop switch means; shown beside the form and kept with the signature. */
export const AI_SUSPENSION_MEANING =
  'I suspend the AI for the scope stated, for the reason stated: from now on its clinicians review new assisted-arm cases without AI output, and each such case is recorded as a protocol deviation. By signing I confirm this decision as attributable to me.';
export const AI_RESUMPTION_MEANING =
  'I resume the AI for the scope stated, for the reason stated: its output is shown again on assisted-arm cases. By signing I confirm this decision as attributable to me.';
