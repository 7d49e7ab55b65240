// The load generator: one process, pinned to its own CPU by the runner, that holds every client
// socket and answers the runner's requests over IPC. It keeps its state between requests, so a
// rate search reuses one set of connected users.

import { setImmediate } from 'node:timers';
import { serveRpc } from '../lib/rpc.mjs';
import { IdleLoad } from './idle.mjs';
import { fetchPath, loadChannels, prepareChannels } from './rest.mjs';
import { ChatLoad } from './scenario.mjs';

let chat = null;
let idle = null;

serveRpc({
  async 'chat.setup'(options) {
    chat = new ChatLoad(options);
    return chat.setup();
  },
  'chat.run': (options) => chat.run(options),
  'chat.seedReactionTargets': () => chat.seedReactionTargets(),
  'chat.close'() {
    chat?.close();
    chat = null;
    return null;
  },
  async 'idle.claim'(options) {
    idle = new IdleLoad(options);
    return idle.claim();
  },
  'idle.connect': () => idle.connect(),
  'idle.close'() {
    idle?.close();
    idle = null;
    return null;
  },
  'rest.prepare': prepareChannels,
  'rest.fetch': fetchPath,
  'rest.load': loadChannels,
  exit() {
    setImmediate(() => process.exit(0));
    return null;
  },
});
