import { parseArgs } from 'node:util';

export const FIGURE_IDS = [
  'import1g',
  'folder',
  'memory',
  'library',
  'seek',
  'filmstrip',
  'clips',
  'verify',
  'seal',
  'hostLoop',
  'upload',
  'cli',
] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

export interface BenchOptions {
  only: FigureId[];
  /** Smaller sizes and fewer runs: a smoke run that proves the bench works, not a measurement. */
  quick: boolean;
  /** Keep the temporary directory for inspection instead of removing it. */
  keep: boolean;
}

function isFigureId(value: string): value is FigureId {
  return (FIGURE_IDS as readonly string[]).includes(value);
}

export class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

export const BENCH_USAGE = `usage: npm run bench -- [--only ${FIGURE_IDS.join(',')}] [--quick] [--keep]
  --only   comma-separated figures to run (default: all)
  --quick  smaller sizes and fewer runs, for a smoke run
  --keep   keep the temporary directory
  BENCH_UPLOAD_MIB=2048 in the environment: the upload figure with the issue's 2 GB file (default 512 MiB)
  BENCH_CLIPS=lossless (or exact) in the environment: one side of the clips figure (default both)
`;

export function parseBenchArgs(argv: string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        only: { type: 'string' },
        quick: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  const only: FigureId[] = [];
  for (const raw of (values.only ?? FIGURE_IDS.join(',')).split(',')) {
    const id = raw.trim();
    if (!id) continue;
    if (!isFigureId(id)) throw new BenchUsageError(`unknown figure "${id}"`);
    if (!only.includes(id)) only.push(id);
  }
  if (only.length === 0) throw new BenchUsageError('--only names no figure');
  return { only, quick: values.quick ?? false, keep: values.keep ?? false };
}
