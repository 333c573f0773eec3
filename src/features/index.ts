import type { FeatureClass } from '../container/feature.js';
import { ProcessManager } from './process/process-manager.js';
import { Conversation } from './llm/conversation.js';
import { Assistant } from './llm/assistant.js';
import { Ui } from './ui.js';
import { Fs } from './fs.js';
import { Networking } from './networking.js';
import { Proc } from './proc.js';
import { WebsocketServer } from '../servers/websocket.js';
import { WebsocketClient } from '../clients/websocket.js';
import { IpcSocket } from './ipc/ipc-socket.js';
import { WindowManager } from './ipc/window-manager.js';

/**
 * Every feature, server and client a fresh container starts with.
 * Keep imports of heavy third-party packages out of module scope in these
 * files (import them inside the async method that needs them): this list is
 * loaded for every doc, and start-up time matters.
 */
export const coreFeatures: FeatureClass[] = [ProcessManager, Ui, Fs, Networking, Proc, WebsocketServer, WebsocketClient, Conversation, Assistant, IpcSocket, WindowManager];

/** Features also exposed as globals in every doc's context, by name. */
export const globalFeatureNames = ['ui', 'fs', 'networking', 'proc'] as const;
