// Which text is an emoji, for reactions: the same answer in the picker, in the composer's `+:emoji:`
// and in the server's validator.

/**
 * One emoji as Unicode lists it for general interchange (RGI): a single emoji, a keycap, a flag,
 * a skin-toned or ZWJ sequence. Built at run time because the `v` flag is newer than the
 * TypeScript target; every runtime Flack supports (Node 20, current browsers) has it.
 *
 * Compiled on first use, not when the module loads: compiling the set of every RGI sequence takes
 * about 25 ms of a phone's main thread, which the app would otherwise spend while opening a channel.
 */
let singleEmoji: RegExp | undefined;

/** True when `text` is exactly one RGI emoji (👍, 👍🏽, 👩‍💻, 🇫🇷, 1️⃣), nothing before or after. */
export function isEmoji(text: string): boolean {
  singleEmoji ??= new RegExp('^\\p{RGI_Emoji}$', 'v');
  return text.length <= 32 && singleEmoji.test(text);
}
