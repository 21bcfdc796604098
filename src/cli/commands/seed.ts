import type { Command } from 'commander';
import type { Runtime } from '../../runtime.js';

export function registerSeedCommand(_program: Command): void {}
export async function seedDemoIfEmpty(_runtime: Runtime, _log: (m: string) => void): Promise<void> {}
