// The emoji data, in a chunk of its own: only ever imported with `import()` (emoji-store.ts), so
// the half megabyte of emojibase JSON is bundled at build time but never in the initial bundle,
// and nothing is fetched from anyone's server but ours.

import compact from 'emojibase-data/en/compact.json';
import github from 'emojibase-data/en/shortcodes/github.json';
import { buildCatalog, type CompactEmojiData, type ShortcodeData } from './emoji-catalog';

export const catalog = buildCatalog(compact as readonly CompactEmojiData[], github as ShortcodeData);
