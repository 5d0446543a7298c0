/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy --all` run this file (see cdk.json).
 * Two env-agnostic stacks (no lookups, so synth works offline and without credentials), checked by
 * cdk-nag's AWS Solutions and Serverless packs: an unacknowledged finding fails the synth.
 */
import { pathToFileURL } from 'node:url';
import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { type FunctionName, loadConfig } from './config';
import { PipelineStack } from './stacks/pipeline-stack';
import { StorageStack } from './stacks/storage-stack';

export interface PolywireApp {
  readonly app: App;
  readonly storage: StorageStack;
  readonly pipeline: PipelineStack;
}

export interface PolywireAppOptions {
  /** Handler entry files; defaults to `functions/<name>/handler.ts`. */
  readonly entries?: Partial<Record<FunctionName, string>>;
}

/**
 * Builds the polywire app from CDK context (cdk.json, `-c key=value`, or `props.context` in tests).
 *
 * @throws ConfigError when a context value is invalid, naming the key.
 * @example
 * const { app } = createPolywireApp();
 * app.synth();
 */
export function createPolywireApp(props: AppProps = {}, options: PolywireAppOptions = {}): PolywireApp {
  const app = new App(props);
  const config = loadConfig(app.node);

  const storage = new StorageStack(app, `${config.stackPrefix}-storage`, { config });
  const pipeline = new PipelineStack(app, `${config.stackPrefix}-pipeline`, {
    config,
    storage: storage.references,
    entries: options.entries,
  });
  // The pipeline imports storage's named exports; CDK cannot see that dependency by itself.
  pipeline.addStackDependency(storage);

  Tags.of(app).add('project', 'polywire');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, storage, pipeline };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  createPolywireApp().app.synth();
}
