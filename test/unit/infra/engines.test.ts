/**
 * Each engine's IAM, secrets and variables reach a deployment only when that engine is configured:
 * the synthesized template of each engine is compared with what the registry declares
 * (functions/adapters/<engine>/definition.ts).
 */
import { describe, expect, it } from 'vitest';
import { type AnyEngineDefinition, ENGINES, type EngineName, engineVariables, secretArnContextKey, secretArnVariable, secretsOf, settingsOf } from '../../../functions/adapters/engines/registry';
import { STAGE_NAMES } from '../../../functions/stages';
import { loadConfig } from '../../../infra/config';
import { CDK_JSON_CONTEXT, resourcesOfType, type SynthesizedPolywire, synthPolywire } from './synth';

const SECRET = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:polywire/${name}-AbC123`;

/**
 * A context that sets every setting and secret of the engine: the settings' examples, a secret ARN
 * per secret, and these overrides where an example is not valid in a deployment.
 */
const OVERRIDES: Partial<Record<EngineName, Record<string, unknown>>> = {
  libretranslate: { libreTranslateUrl: 'https://translate.example.org' },
};

function contextOf(engine: AnyEngineDefinition): Record<string, unknown> {
  return {
    engine: engine.name,
    ...Object.fromEntries(settingsOf(engine).flatMap(([key, setting]) => (setting.context ? [[key, setting.example]] : []))),
    ...Object.fromEntries(secretsOf(engine).map(([key]) => [secretArnContextKey(key), SECRET(key)])),
    ...OVERRIDES[engine.name as EngineName],
  };
}

const CONTEXTS = Object.fromEntries(ENGINES.map((engine) => [engine.name, contextOf(engine)])) as Record<EngineName, Record<string, unknown>>;

type Statement = { Action: string | string[]; Resource: unknown };
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function statementsOf(app: SynthesizedPolywire, stage: string): Statement[] {
  const roleId = Object.keys(resourcesOfType(app.pipelineTemplate, 'AWS::IAM::Role')).find((id) => id.startsWith(`${capitalize(stage)}Role`));
  if (!roleId) throw new Error(`no role for ${stage}`);
  return Object.values(resourcesOfType(app.pipelineTemplate, 'AWS::IAM::Policy'))
    .filter((policy) => policy.Properties!.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as Statement[]);
}

function variablesOf(app: SynthesizedPolywire, stage: string): Record<string, string> {
  const fn = Object.entries(resourcesOfType(app.pipelineTemplate, 'AWS::Lambda::Function')).find(([id]) => id.startsWith(`${capitalize(stage)}Function`));
  if (!fn) throw new Error(`no function for ${stage}`);
  return fn[1].Properties!.Environment.Variables;
}

const engineActions = (name: EngineName): string[] => {
  const config = loadConfig({ tryGetContext: (key) => ({ ...CDK_JSON_CONTEXT, ...CONTEXTS[name] })[key] });
  return ENGINES.find((engine) => engine.name === name)!
    .iam(config.engineConfig.settings)
    .flatMap((grant) => grant.actions);
};

describe.each(ENGINES.map((engine) => [engine.name, engine] as const))('engine %s in a deployment', (name, engine) => {
  const app = () => synthPolywire(CONTEXTS[name]);
  const others = ENGINES.filter((other) => other.name !== name);

  it('grants the translate function its IAM and its secrets, and nothing of the other engines', () => {
    const actions = statementsOf(app(), 'translate').flatMap((statement) => asArray(statement.Action));
    for (const action of engineActions(name)) expect(actions, action).toContain(action);
    const ownActions = new Set(engineActions(name));
    for (const other of others) for (const action of engineActions(other.name)) if (!ownActions.has(action)) expect(actions, `${other.name}: ${action}`).not.toContain(action);

    const secretResources = statementsOf(app(), 'translate')
      .filter((statement) => asArray(statement.Action).includes('secretsmanager:GetSecretValue'))
      .flatMap((statement) => asArray(statement.Resource));
    const expected = secretsOf(engine).map(([key]) => SECRET(key));
    expect(secretResources).toEqual(expected);
  });

  it('grants no other function anything of an engine', () => {
    const all = new Set(ENGINES.flatMap((other) => engineActions(other.name)));
    for (const stage of STAGE_NAMES.filter((stage) => stage !== 'translate')) {
      const actions = statementsOf(app(), stage).flatMap((statement) => asArray(statement.Action));
      expect(
        actions.filter((action) => all.has(action) || action === 'secretsmanager:GetSecretValue'),
        stage,
      ).toEqual([]);
    }
  });

  it('sets its variables (secrets as ARNs only) and none of the other engines', () => {
    const variables = variablesOf(app(), 'translate');
    expect(variables.TRANSLATION_ENGINE).toBe(name);
    for (const [, secret] of secretsOf(engine)) {
      expect(variables[secretArnVariable(secret)]).toMatch(/^arn:aws:secretsmanager:/);
      expect(variables[secret.env]).toBeUndefined();
    }
    const own = new Set(engineVariables(engine));
    for (const other of others) for (const variable of engineVariables(other)) if (!own.has(variable) && variable !== 'AWS_REGION') expect(variables[variable], `${other.name}: ${variable}`).toBeUndefined();
  });
});
