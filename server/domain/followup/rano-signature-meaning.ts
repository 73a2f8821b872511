/** What a signature on a RANO assessment means; shown above the password field and stored with it. */
export const RANO_SIGNATURE_MEANING =
  'I compared this follow-up scan with the prior scans myself and this is my RANO 2.0 response assessment for it. By signing I confirm it as final and attributable to me; it cannot be changed afterwards, only corrected by a new signed record linked to it.';

export const RANO_CORRECTION_SIGNATURE_MEANING =
  'I compared this follow-up scan with the prior scans myself and this corrects my earlier signed RANO assessment of it, for the reason stated. By signing I confirm the correction as final and attributable to me; both records are kept.';
