// The public programmatic API, but for `z` (see index.ts). Everything else under src/ is internal.
export { Container, type ContainerParts } from './container/container.js';
export type { ContainerSettings } from './container/settings.js';
export type { DisposeReport } from './container/disposal.js';
export { createContainer } from './features/create-container.js';
export { Feature, type FeatureClass, type FeatureHost, type ToolDefinition, type FeatureTypes, type ServerTypes, type ClientTypes, type FeatureEvents } from './container/feature.js';
export type { EventMap } from './container/emitter.js';
export { isRunbookError, type RunbookError, type RunbookErrorCode } from './errors.js';
// The core features' types: what container.feature(name) gives (see FeatureTypes), and their events.
import './features/feature-types.js';
export type { ProcessManager, ProcessManagerEvents, SpawnOptions } from './features/process/process-manager.js';
export type { ProcessHandle, ProcessHandleEvents, ProcessStatus, ProcessSummary } from './features/process/process-handle.js';
export { isToolError, type ToolError, type ProcessToolInput } from './features/process/process-tools.js';
export type { Ui } from './features/ui.js';
export type { Fs } from './features/fs.js';
export type { Networking } from './features/networking.js';
export type { Proc } from './features/proc.js';
export type { Conversation } from './features/llm/conversation.js';
export type { Assistant, AssistantEvents } from './features/llm/assistant.js';
export type { ChatEvents } from './features/llm/chat-session.js';
export { IpcSocket, IpcConnection, IpcServer } from './features/ipc/ipc-socket.js';
export type { IpcConnectionEvents } from './features/ipc/ipc-connection.js';
export type { IpcServerEvents } from './features/ipc/ipc-server.js';
export {
  WindowManager,
  type WindowManagerEvents,
  type WindowRole,
  type WindowAck,
  type WindowLifecycleEvent,
  type WindowClosedEvent,
  type TerminalExitedEvent,
  type AppClientInfo,
} from './features/ipc/window-manager.js';
export type { WebsocketServer, WebsocketServerOptions, WebsocketServerEvents } from './servers/websocket.js';
export type { WebsocketClient, WebsocketClientOptions, WebsocketClientEvents } from './clients/websocket.js';
export type { IncomingRequest, ReceivedMessage } from './protocol/ask-reply.js';
export { parseRunbook, runRunbook, defineConfig, type RunRunbookOptions } from './runner/api.js';
export type { RunbookConfig } from './runner/config-file.js';
export type { RunbookDocument, Block } from './markdown/document.js';
export type { DocResult, BlockResult, RunResult } from './runner/results.js';
export type { ErrorReport } from './engine/error-report.js';
export type { RunEvents, DocStart } from './runner/events.js';
