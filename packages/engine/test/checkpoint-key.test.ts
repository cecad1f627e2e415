import type { KeyObject } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../src/index.ts';
import { CheckpointKeyMismatch, keyName } from '../src/index.ts';
import { admin, newEngine, ownerA, t } from './support/engine-fixture.ts';

const keyA = generateKeyPairSync('ed25519');
const keyB = generateKeyPairSync('ed25519');
const signerA = { origin: 'duban.test/key', privateKey: keyA.privateKey };
const signerB = { origin: 'duban.test/key', privateKey: keyB.privateKey };
const pem = (publicKey: KeyObject) => publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** A log of `notes` + 2 entries on a fresh database. */
async function loggedEngine(notes: number): Promise<Engine> {
  const engine = await newEngine();
  await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
  await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
  await note(engine, notes);
  return engine;
}

async function note(engine: Engine, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await engine.send('t1', { type: 'NOTE', payload: { text: `第${i}次` } }, ownerA, t('2023-05-12T00:00:00Z'));
}

/** The recorded key as the database holds it. */
const recordedRows = (engine: Engine) => engine.store.kysely.selectFrom('checkpoint_key').selectAll().execute();
const sizes = async (engine: Engine) => (await engine.checkpoints()).map((c) => c.size);

describe('one key signs a log', () => {
  it('given a first checkpoint, then its key is recorded, and another key is refused with nothing written', async () => {
    const engine = await loggedEngine(2);
    try {
      await engine.issueCheckpoint(signerA, t('2023-05-13T00:00:00Z'));
      expect(await recordedRows(engine)).toEqual([{ id: 1, key_name: keyName(keyA.publicKey), public_key: pem(keyA.publicKey) }]);

      await note(engine, 1);
      const refused = await engine.issueCheckpoint(signerB, t('2023-05-14T00:00:00Z')).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(CheckpointKeyMismatch);
      expect(refused).toMatchObject({ code: 'checkpoint_key_mismatch', keyName: keyName(keyB.publicKey), logKeyName: keyName(keyA.publicKey), latestCheckpoint: undefined });
      expect((refused as Error).message).toMatch(/signed with key ed25519:\w+ \(recorded in the database\), not ed25519:\w+/);
      await expect(engine.claimCheckpointKey(keyB.publicKey)).rejects.toThrow(CheckpointKeyMismatch);
      expect(await sizes(engine)).toEqual([4]);
      expect(await recordedRows(engine)).toEqual([{ id: 1, key_name: keyName(keyA.publicKey), public_key: pem(keyA.publicKey) }]);

      // The recorded key goes on signing.
      expect(await engine.claimCheckpointKey(keyA.publicKey)).toEqual({ keyName: keyName(keyA.publicKey), publicKey: pem(keyA.publicKey) });
      expect((await engine.issueCheckpoint(signerA, t('2023-05-14T00:00:00Z')))?.size).toBe(5);
    } finally {
      await engine.close();
    }
  });

  it('given an empty log, then the first key claimed is recorded before any checkpoint, and a second is refused', async () => {
    const engine = await newEngine();
    try {
      await engine.claimCheckpointKey(keyB.publicKey);
      await expect(engine.claimCheckpointKey(keyA.publicKey)).rejects.toThrow(CheckpointKeyMismatch);
      expect(await recordedRows(engine)).toEqual([{ id: 1, key_name: keyName(keyB.publicKey), public_key: pem(keyB.publicKey) }]);
    } finally {
      await engine.close();
    }
  });

  it('recording a key when one is recorded does nothing and answers with the first', async () => {
    const engine = await newEngine();
    try {
      const first = { keyName: keyName(keyA.publicKey), publicKey: pem(keyA.publicKey) };
      const second = { keyName: keyName(keyB.publicKey), publicKey: pem(keyB.publicKey) };
      expect(await engine.store.transact((tx) => tx.recordCheckpointKey(first))).toEqual(first);
      expect(await engine.store.transact((tx) => tx.recordCheckpointKey(second))).toEqual(first);
      expect(await recordedRows(engine)).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });

  it('given a log signed before keys were recorded, then the key of its latest checkpoint is adopted and any other refused, writing nothing', async () => {
    const engine = await loggedEngine(2);
    try {
      await engine.issueCheckpoint(signerA, t('2023-05-13T00:00:00Z'));
      // As a database migrated from before 0004-checkpoint-key holds it: checkpoints, no recorded key.
      await engine.store.kysely.deleteFrom('checkpoint_key').execute();
      await note(engine, 1);

      const refused = await engine.claimCheckpointKey(keyB.publicKey).catch((error: unknown) => error);
      expect(refused).toMatchObject({ keyName: keyName(keyB.publicKey), logKeyName: keyName(keyA.publicKey), latestCheckpoint: { size: 4, reason: expect.stringMatching(/^signed by key/) } });
      await expect(engine.issueCheckpoint(signerB, t('2023-05-14T00:00:00Z'))).rejects.toThrow(/did not sign this log's latest checkpoint \(size 4/);
      expect(await recordedRows(engine)).toEqual([]);
      expect(await sizes(engine)).toEqual([4]);

      await engine.claimCheckpointKey(keyA.publicKey);
      expect(await recordedRows(engine)).toEqual([{ id: 1, key_name: keyName(keyA.publicKey), public_key: pem(keyA.publicKey) }]);
    } finally {
      await engine.close();
    }
  });

  it('given a log from before keys were recorded whose latest checkpoint was altered, then even the key it names is refused', async () => {
    const engine = await loggedEngine(2);
    try {
      const signed = await engine.issueCheckpoint(signerA, t('2023-05-13T00:00:00Z'));
      await engine.store.kysely.deleteFrom('checkpoint_key').execute();
      await engine.store.kysely.updateTable('checkpoint').set({ text: signed!.text.replace('\n4\n', '\n3\n') }).execute();
      await expect(engine.claimCheckpointKey(keyA.publicKey)).rejects.toMatchObject({ logKeyName: keyName(keyA.publicKey), latestCheckpoint: { reason: expect.stringMatching(/signature does not match/) } });
      expect(await recordedRows(engine)).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});
