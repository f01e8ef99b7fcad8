/** Puts text on the clipboard; false when the browser refuses (the page then asks the player to copy it). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
