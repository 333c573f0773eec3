import type { ServerMessage } from '../../servers/notebook/notebook-protocol.js';
import { maskBlock, maskError } from '../mask-secrets.js';

/**
 * A message for the page with the doc's secrets masked, as every report masks
 * them: what blocks and console input printed, their values and errors. A
 * copy: the kernel keeps what it holds as it is.
 */
export function maskMessage(message: ServerMessage, mask: (text: string) => string): ServerMessage {
  switch (message.type) {
    case 'doc':
      return { ...message, blocks: message.blocks.map((block) => maskBlock({ ...block, error: block.error && { ...block.error } }, mask)) };
    case 'block':
      return { ...message, block: maskBlock({ ...message.block, error: message.block.error && { ...message.block.error } }, mask) };
    case 'output':
    case 'notice':
      return { ...message, text: mask(message.text) };
    case 'console': {
      const error = message.error && { ...message.error };
      maskError(error, mask);
      return { ...message, output: mask(message.output), value: message.value === undefined ? undefined : mask(message.value), error };
    }
    case 'doc-result': {
      const error = message.error && { ...message.error };
      maskError(error, mask);
      return { ...message, error, warnings: message.warnings.map(mask) };
    }
    case 'busy':
      return message;
  }
}
