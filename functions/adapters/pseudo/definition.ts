/**
 * The offline pseudo-localizer, declared for the registry (functions/adapters/engines/registry.ts):
 * no settings, no secrets, no IAM, nothing to prepare.
 */
import { defineEngine } from '../engines/define';

export const pseudo = defineEngine({
  name: 'pseudo',
  displayName: 'polywire pseudo-localizer',
  defaultPrice: 0,
  defaultConcurrency: 80,
  aliases: [],
  settings: {},
  secrets: {},
  iam: () => [],
  async prepareLocal() {
    return { description: 'pseudo (visibly fake translations, no account needed)' };
  },
  async create() {
    const { PseudoEngine } = await import('./engine');
    return new PseudoEngine();
  },
});
