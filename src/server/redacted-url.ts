/**
 * A database or Redis URL fit for logs and messages: its password replaced
 * by `***`. A value that is no URL is named by `unparsable` instead (it may
 * hold a password in a shape URL does not parse).
 */
export function redactedUrl(url: string, unparsable: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return unparsable;
  }
}
