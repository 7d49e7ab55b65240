import { describe, expect, it } from '@jest/globals';
import { CLIENT_EVENTS, ERROR_CODES, HANDSHAKE_ERROR_CODES } from '@flack/contract';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { asyncApiProblems } from '../../test/support/asyncapi-problems.js';
import { readContract, renderContractSnapshot } from '../../test/support/read-contract.js';
import {
  buildAsyncApiDocument,
  CONTRACT_VERSION,
  ERROR_CODE_MEANINGS,
  type JsonSchema,
} from './asyncapi.document.js';
import { CONTRACT_SNAPSHOT } from './contract-snapshot.js';

const SNAPSHOT_FILE = fileURLToPath(new URL('./contract-snapshot.ts', import.meta.url));

describe('the AsyncAPI document', () => {
  it('is built from the contract as it is now (else: FLACK_WRITE_CONTRACT_SNAPSHOT=1, see contract-snapshot.ts)', async () => {
    const fresh = readContract();
    if (process.env['FLACK_WRITE_CONTRACT_SNAPSHOT'] === '1') {
      const options = await prettier.resolveConfig(SNAPSHOT_FILE);
      const source = await prettier.format(renderContractSnapshot(fresh), {
        ...options,
        filepath: SNAPSHOT_FILE,
      });
      writeFileSync(SNAPSHOT_FILE, source);
      return;
    }
    expect(CONTRACT_SNAPSHOT).toEqual(fresh);
  }, 30_000);

  it('names every client event of the contract, and every server event, once each', () => {
    expect(Object.keys(CONTRACT_SNAPSHOT.clientEvents).sort()).toEqual([...CLIENT_EVENTS].sort());
    const operations = buildAsyncApiDocument()['operations'] as Record<string, JsonSchema>;
    for (const event of CLIENT_EVENTS) {
      const operation = operations[`client.${event.replaceAll(':', '.')}`];
      expect(operation).toMatchObject({ action: 'receive', title: event, reply: {} });
    }
    for (const event of Object.keys(CONTRACT_SNAPSHOT.serverEvents))
      expect(operations[`server.${event.replaceAll(':', '.')}`]).toMatchObject({
        action: 'send',
        title: event,
      });
    expect(Object.keys(operations)).toHaveLength(
      CLIENT_EVENTS.length + Object.keys(CONTRACT_SNAPSHOT.serverEvents).length + 1,
    );
  });

  it('lists every error code and handshake code with its meaning', () => {
    expect(Object.keys(CONTRACT_SNAPSHOT.errorCodes)).toEqual([...ERROR_CODES]);
    expect(Object.keys(CONTRACT_SNAPSHOT.handshakeErrorCodes)).toEqual([...HANDSHAKE_ERROR_CODES]);
    const { schemas } = buildAsyncApiDocument()['components'] as { schemas: Record<string, JsonSchema> };
    for (const [schema, codes] of [
      ['ErrorCode', ERROR_CODES],
      ['HandshakeErrorCode', HANDSHAKE_ERROR_CODES],
    ] as const) {
      expect(schemas[schema]).toMatchObject({ enum: [...codes] });
      const meanings = schemas[schema]['x-enum-descriptions'] as Record<string, string>;
      expect(Object.keys(meanings)).toEqual([...codes]);
      for (const code of codes) expect(`${code}: ${meanings[code]}`).toMatch(/^\w+: \S/);
    }
  });

  it('keeps a meaning of its own only for codes the contract leaves without a comment', () => {
    const commented = Object.keys(ERROR_CODE_MEANINGS).filter(
      (code) => CONTRACT_SNAPSHOT.errorCodes[code] !== '',
    );
    expect(commented).toEqual([]);
  });

  it('carries the contract package version', () => {
    const contractPackage = new URL('../../../contract/package.json', import.meta.url);
    expect(CONTRACT_VERSION).toBe(
      (JSON.parse(readFileSync(contractPackage, 'utf8')) as { version: string }).version,
    );
  });

  it('is valid AsyncAPI 3.0 for @asyncapi/parser, without a warning', async () => {
    expect(await asyncApiProblems(buildAsyncApiDocument())).toEqual([]);
  });

  it('is refused by the parser when broken, so the check above can fail', async () => {
    const broken = {
      ...buildAsyncApiDocument(),
      operations: { lost: { action: 'receive', channel: { $ref: '#/channels/none' } } },
    };
    expect(await asyncApiProblems(broken)).not.toEqual([]);
  });
});
