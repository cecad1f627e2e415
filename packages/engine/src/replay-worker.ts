import { parentPort, workerData } from 'node:worker_threads';
import type { ReplayMessage, ReplayPart, ReplayWorkerData } from './parallel-replay.ts';
import { LogReplay } from './replay.ts';
import type { AnyWorkflowDefinition } from './workflow-definition.ts';
import { WorkflowRegistry } from './workflow-registry.ts';

// One thread of a parallel replay (see parallel-replay.ts), kept for the next replay: `{ asOf }` begins
// one, its tasks' entries arrive in batches, each acknowledged once replayed (the sender's flow
// control), and `null` ends the log and sends back the part.
const { workflows } = workerData as ReplayWorkerData;
const definitions = ((await import(workflows)) as { workflows: readonly AnyWorkflowDefinition[] }).workflows;
const registry = new WorkflowRegistry(definitions);
const port = parentPort!;
let replay = new LogReplay(registry);
port.on('message', (message: ReplayMessage) => {
  if (Array.isArray(message)) {
    for (const entry of message) replay.add(entry);
    port.postMessage('replayed');
  } else if (message !== null) {
    replay = new LogReplay(registry, message.asOf);
  } else {
    const { instances, differences, entries } = replay.result();
    // The XState snapshot is a cache of live objects that cannot cross threads; the receiver rebuilds it when it steps.
    const part: ReplayPart = { instances: [...instances.values()].map(({ machineSnapshot: _live, ...instance }) => instance), createdAt: replay.createdAt, differences, entries };
    replay = new LogReplay(registry);
    port.postMessage(part);
  }
});
