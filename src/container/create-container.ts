import { coreFeatures } from '../features/index.js';
import { Container, type ContainerSettings } from './container.js';

/** A container with every core feature, server and client registered. */
export function createContainer(settings: Partial<ContainerSettings> = {}): Container {
  const container = new Container(settings);
  for (const featureClass of coreFeatures) container.register(featureClass);
  return container;
}
