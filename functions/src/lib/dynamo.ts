import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from './config';

/**
 * One DynamoDB document client per container, created on first use (module scope, as Powertools' examples do) so a
 * warm function reuses its connections.
 */
let doc: DynamoDBDocumentClient | undefined;
let raw: DynamoDBClient | undefined;
const callListeners = new Set<(command: string) => void>();

export function db(): DynamoDBDocumentClient {
  if (doc) return doc;
  const cfg = config();
  const client = (raw = new DynamoDBClient({
    region: cfg.region,
    ...(cfg.dynamoEndpoint
      ? { endpoint: cfg.dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 4,
  }));
  doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  // Counts every command sent (benchmarks report DynamoDB calls per checkout; fault-injection tests hook in here).
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      for (const listen of callListeners) listen(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'shopCallCounter' },
  );
  // Fault injection for resilience tests: the error is raised below the SDK's retry middleware, as a real throttle is.
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (faultInjector?.(String(context.commandName))) {
        throw Object.assign(new Error('injected fault: request throttled'), {
          name: 'ProvisionedThroughputExceededException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'shopFaultInjector' },
  );
  return doc;
}

let faultInjector: ((command: string) => boolean) | undefined;
/** Tests only: decide per command whether it fails as throttled (undefined turns faults off). */
export function injectFaults(decide: ((command: string) => boolean) | undefined): void {
  faultInjector = decide;
}

/** The low-level client under db() (for libraries that want one, e.g. Powertools Idempotency). */
export function rawClient(): DynamoDBClient {
  db();
  return raw!;
}

export function table(): string {
  return config().tableName;
}

/** Observe every DynamoDB command this process sends; returns an unsubscribe function. */
export function onDynamoCall(listener: (command: string) => void): () => void {
  callListeners.add(listener);
  return () => callListeners.delete(listener);
}

/** Tests point the process at a fresh table between files. */
export function resetDb(): void {
  doc = undefined;
  raw = undefined;
}
