import { TRPCClientError } from '@trpc/client';
import { describeFieldPath } from '@/server/domain/trials/describe-field-path';

/** What went wrong, for the user: the server's message, or each schema issue with its field in words. */
export function describeError(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as { zodIssues?: { path: string; message: string }[] } | undefined;
    if (data?.zodIssues?.length)
      return data.zodIssues.map((i) => (i.path ? `${capitalize(describeFieldPath(i.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))))}: ${i.message}` : i.message)).join('; ');
    return error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** Today's date (local calendar) as YYYY-MM-DD, the default for date inputs. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
