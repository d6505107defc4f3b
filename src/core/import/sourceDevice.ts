import { readFile, readdir, readlink, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

interface Mount {
  device: string;
  mountPoint: string;
}

/** Mount points from /proc/self/mountinfo (Linux); empty elsewhere, where labels are not looked up. */
async function readMounts(): Promise<Mount[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const unescape = (s: string): string =>
    s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const parts = line.split(' ');
      const dash = parts.indexOf('-');
      return { mountPoint: unescape(parts[4] ?? ''), device: parts[dash + 2] ?? '' };
    });
}

/** The /dev/disk/by-<kind> name that points at a device, such as a volume label or a serial. */
async function diskAlias(kind: 'by-label' | 'by-id', device: string): Promise<string | null> {
  const dir = `/dev/disk/${kind}`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const target = await readlink(join(dir, name)).catch(() => null);
    if (target && resolve(dir, target) === device) return name.replace(/\\x20/g, ' ');
  }
  return null;
}

/**
 * Names the device a source path lives on, for the import record: the volume label and serial of
 * a removable disk where the system knows them, else the mount point. Null for the system disk.
 */
export async function describeSourceDevice(path: string): Promise<string | null> {
  const mounts = await readMounts();
  const real = resolve(path);
  const mount = mounts
    .filter(
      (m) => real === m.mountPoint || real.startsWith(m.mountPoint.endsWith('/') ? m.mountPoint : `${m.mountPoint}/`),
    )
    .sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
  if (!mount || mount.mountPoint === '/') return null;
  if (!mount.device.startsWith('/dev/')) return null;
  const [label, serial] = await Promise.all([diskAlias('by-label', mount.device), diskAlias('by-id', mount.device)]);
  const parts = [label ? `label ${label}` : `volume ${basename(mount.mountPoint)}`];
  if (serial) parts.push(`id ${serial}`);
  parts.push(`at ${mount.mountPoint}`);
  return parts.join(', ');
}

/** Mounted volumes that look like a camera or phone: a DCIM folder at their root. */
export async function listCameraVolumes(): Promise<{ path: string; label: string | null; hasDcim: boolean }[]> {
  const mounts = await readMounts();
  const candidates = mounts.filter((m) => /^\/(media|run\/media|mnt|Volumes)\//.test(m.mountPoint));
  const out = [];
  for (const m of candidates) {
    const hasDcim = await stat(join(m.mountPoint, 'DCIM'))
      .then((s) => s.isDirectory())
      .catch(() => false);
    const label = m.device.startsWith('/dev/') ? await diskAlias('by-label', m.device) : null;
    out.push({ path: m.mountPoint, label, hasDcim });
  }
  return out;
}
