import type { SiteFacts } from '../../common/api-types.js';
import { getJson } from './api.js';

let facts: Promise<SiteFacts> | undefined;

/** The server's `GET /api/site`, asked once per page load; a failed answer is asked again next time. */
export function siteFacts(): Promise<SiteFacts> {
  facts ??= getJson<SiteFacts>('/api/site').catch((error: unknown) => {
    facts = undefined;
    throw error;
  });
  return facts;
}
