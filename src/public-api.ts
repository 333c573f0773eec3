// The public programmatic API, but for `z` (see index.ts). Everything else under src/ is internal.
export { Container, type ContainerParts } from './container/container.js';
export type { ContainerSettings } from './container/settings.js';
export type { DisposeReport } from './container/disposal.js';
export { createContainer } from './features/create-container.js';
export { Feature, type FeatureClass, type FeatureHost, type ToolDefinition, type FeatureTypes, type ServerTypes, type ClientTypes } from './container/feature.js';
// The core features' types: what container.feature(name) gives (see FeatureTypes).
import './features/feature-types.js';
export type { ProcessManager } from './features/process/process-manager.js';
export type { Ui } from './features/ui.js';
export type { Fs } from './features/fs.js';
export type { Networking } from './features/networking.js';
export type { Proc } from './features/proc.js';
export type { Conversation } from './features/llm/conversation.js';
export type { Assistant } from './features/llm/assistant.js';
export { IpcSocket, IpcConnection, IpcServer } from './features/ipc/ipc-socket.js';
export { WindowManager, type WindowAck, type WindowLifecycleEvent, type AppClientInfo } from './features/ipc/window-manager.js';
export type { WebsocketServer, WebsocketServerOptions } from './servers/websocket.js';
export type { WebsocketClient, WebsocketClientOptions } from './clients/websocket.js';
export type { IncomingRequest } from './protocol/ask-reply.js';
export { parseRunbook, runRunbook, defineConfig, type RunRunbookOptions } from './runner/api.js';
export type { RunbookConfig } from './runner/config-file.js';
export type { RunbookDocument, Block } from './markdown/document.js';
export type { DocResult, BlockResult, RunResult } from './runner/results.js';
export type { RunEvents, DocStart } from './runner/events.js';
