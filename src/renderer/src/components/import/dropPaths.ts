import type { StationBridge } from '../../../../shared/bridge';

/**
 * Real paths of files dropped on the window. Only the desktop app can tell them (Electron's
 * webUtils through the preload bridge); a plain browser never reveals paths, so it returns null.
 */
export function readDroppedPaths(dataTransfer: DataTransfer): string[] | null {
  const bridge = (globalThis as { station?: Partial<StationBridge> }).station;
  if (typeof bridge?.getPathForFile !== 'function') return null;
  const paths: string[] = [];
  for (const file of Array.from(dataTransfer.files)) {
    const path = bridge.getPathForFile(file);
    if (path) paths.push(path);
  }
  return paths;
}

export function isFileDrag(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}
