/**
 * Reports every command an AWS SDK v3 client sends, as an SDK middleware. The integration tests
 * record what each stage sends and check it against the IAM the CDK app grants
 * (test/support/sdk-commands.ts, test/unit/infra/iam-evidence.test.ts), so a new command without
 * a grant fails a test instead of a deployed function.
 */

/** One command as sent: the IAM service prefix (`s3`, `dynamodb`, `sqs` …), its name and input. */
export interface SentCommand {
  /** The client's name without `Client`, lower-cased: the IAM prefix (`DynamoDBClient` → `dynamodb`). */
  service: string;
  /** The wire-level command (`PutItemCommand`, also for lib-dynamodb's `PutCommand`). */
  command: string;
  input: Readonly<Record<string, unknown>>;
}

export type CommandObserver = (sent: SentCommand) => void;

interface HandlerContext {
  clientName?: string;
  commandName?: string;
}

/** The part of an SDK v3 client this needs (every client, and a DynamoDBDocumentClient, has it). */
export interface MiddlewareClient {
  middlewareStack: {
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware generics differ per client.
    add(middleware: (next: any, context: HandlerContext) => any, options: { step: 'initialize'; name: string }): void;
  };
}

/**
 * Adds the observer to `client`'s middleware stack, at the initialize step (once per call,
 * before retries). A DynamoDBDocumentClient shares its base client's stack: observe either once.
 * A second observer of the same client needs a `name` of its own (the stack refuses duplicates).
 */
export function observeCommands(client: MiddlewareClient, observer: CommandObserver, name = 'polywireObserveCommands'): void {
  client.middlewareStack.add(
    (next: (args: { input: object }) => Promise<unknown>, context: HandlerContext) => async (args: { input: object }) => {
      observer({
        service: (context.clientName ?? 'unknown').replace(/Client$/, '').toLowerCase(),
        command: context.commandName ?? 'unknown',
        input: args.input as Record<string, unknown>,
      });
      return next(args);
    },
    { step: 'initialize', name },
  );
}
