import type { WebsocketClient } from '../clients/websocket.js';
import type { WebsocketServer } from '../servers/websocket.js';
import type { Fs } from './fs.js';
import type { IpcSocket } from './ipc/ipc-socket.js';
import type { WindowManager } from './ipc/window-manager.js';
import type { Assistant } from './llm/assistant.js';
import type { Conversation } from './llm/conversation.js';
import type { Networking } from './networking.js';
import type { Proc } from './proc.js';
import type { ProcessManager } from './process/process-manager.js';
import type { Ui } from './ui.js';

// What container.feature(name) gives for each core feature (see FeatureTypes).
// Its own module, loaded by the public API's types: declaration merging only
// reaches a program that loads the file that declares it.
declare module '../container/feature.js' {
  interface FeatureTypes {
    processManager: ProcessManager;
    ui: Ui;
    fs: Fs;
    networking: Networking;
    proc: Proc;
    conversation: Conversation;
    assistant: Assistant;
    ipcSocket: IpcSocket;
    windowManager: WindowManager;
  }
  interface ServerTypes {
    websocket: WebsocketServer;
  }
  interface ClientTypes {
    websocket: WebsocketClient;
  }
}

