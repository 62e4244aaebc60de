import { ApiError, TransportError } from '../errors';

/** A failure after which the server may still have carried out the write. */
function mayHaveCommitted(err: unknown): boolean {
  return err instanceof TransportError || (err instanceof ApiError && err.status >= 500);
}

/**
 * Creates an object whose POST is not idempotent. When the answer is lost (connection dropped,
 * 5xx after the write), the object may exist anyway: look it up by its identity before posting
 * again, so one construct never yields two cloud objects.
 */
export async function createOnce<T>(post: () => Promise<T>, lookup: () => Promise<T | undefined>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await post();
    } catch (err) {
      if (!mayHaveCommitted(err) || attempt >= attempts) throw err;
      const found = await lookup();
      if (found) return found;
    }
  }
}
