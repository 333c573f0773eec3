import { Container } from '../container/container.js';
import type { ContainerSettings } from '../container/settings.js';
import { zodForDocs } from '../engine/zod-for-docs.js';
import { coreFeatures } from './index.js';

/** A container with every core feature, server and client registered, and the whole of zod as its `z`. */
export function createContainer(settings: Partial<ContainerSettings> = {}): Container {
  return new Container(settings, { features: coreFeatures, z: zodForDocs });
}
