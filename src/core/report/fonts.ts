import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The report's only typefaces: Noto Sans SC (SIL Open Font License), installed from the registry by
 * `npm ci` as `@expo-google-fonts/noto-sans-sc`, covering GB 2312 and Latin. Every glyph of the
 * report, Latin and digits included, comes from these two files, so each PDF font is embedded (as
 * a subset); PDF's standard fonts (Helvetica, Courier) are never embedded and are not used.
 */
export interface ReportFonts {
  regular: string;
  bold: string;
}

const PACKAGE = '@expo-google-fonts/noto-sans-sc';
const FILES = {
  regular: '400Regular/NotoSansSC_400Regular.ttf',
  bold: '700Bold/NotoSansSC_700Bold.ttf',
} as const;

/**
 * Finds the font files from wherever the engine runs: the source tree (tsx, Vitest) or the bundle
 * in `out/main` of the packaged app. Node's resolution from this module finds the package in
 * either case; nothing else in the engine should look for them.
 */
export function locateReportFonts(): ReportFonts {
  let root: string;
  try {
    root = path.dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  } catch (error) {
    throw new Error(
      `The report font package ${PACKAGE} is not installed (run npm ci); the court report cannot be made without it.`,
      { cause: error },
    );
  }
  const fonts: ReportFonts = { regular: path.join(root, FILES.regular), bold: path.join(root, FILES.bold) };
  for (const file of Object.values(fonts)) {
    if (!existsSync(file)) {
      throw new Error(`The report font file ${file} is missing from ${PACKAGE}; reinstall it with npm ci.`);
    }
  }
  return fonts;
}
