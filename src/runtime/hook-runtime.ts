// The hook runtime, bundled apart from the entry point (assets/hook/hook-runtime.js): a hook that
// the warm runner serves never parses it. Only hook-main loads it, when this process runs hooks.
export { executeHook, hookClients } from './hook';
export { closeSharedAgent } from './http';
export { serveHooks } from './runner/server';
