import { SHARED_PRESENCE_GRACE_MS, startServer, stopServer } from './support/server';

// One server for every spec: tests keep out of each other's way with unique names (support/names.ts).
// Workers inherit process.env as it is after this function, which is how they learn BASE_URL.
export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.BASE_URL) return undefined;
  const server = await startServer({
    name: 'shared',
    // Every person in every spec claims a name from 127.0.0.1, far beyond what one real address
    // does; the per-user limits (messages, channel creation) stay as in production.
    env: { NAME_CLAIMS_PER_MINUTE: '10000', PRESENCE_GRACE_MS: String(SHARED_PRESENCE_GRACE_MS) },
  });
  process.env.BASE_URL = server.url;
  // Should the runner die without calling the teardown, do not leave the server behind.
  const killOnExit = () => server.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return async () => {
    process.off('exit', killOnExit);
    await stopServer(server);
  };
}
