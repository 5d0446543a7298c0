#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so `npx polywire` works straight from a clone
// with no build step.
import { register } from 'tsx/esm/api';

// The CLI supports Node 20.19+; the AWS SDK's notice that its releases from 2027 need Node 22
// concerns the pinned lockfile, not each command a user runs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../cli/main.ts');
