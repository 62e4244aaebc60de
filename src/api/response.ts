import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini (a twentieth of zod's size in the hook bundle) words its issues only once a locale is set.
z.config(en());

/**
 * Parses the response of `api` with its schema. Returns the typed body, or the problem worded for
 * an error: the API and the first field at fault (`the response of 4.5.3 Querying the Vault List
 * does not have the documented shape: vaults.0.billing.size: Invalid input: expected number,
 * received string`), so the caller fails there instead of crashing later on a malformed value.
 */
export function parseResponse<S extends z.ZodMiniType>(schema: S, json: unknown, api: string): { data: z.infer<S> } | { problem: string } {
  const parsed = schema.safeParse(json);
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the body';
  return { problem: `the response of ${api} does not have the documented shape: ${field}: ${issue.message}` };
}
