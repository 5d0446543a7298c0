// Entry of a handler worker thread (see pool.ts). Workers do not inherit the parent's module
// loaders, so TypeScript support is registered here, in the worker, before the handler loads.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('./worker.ts');
