export declare const REQUIRED_COMPONENTS: Record<
  'encoders' | 'decoders' | 'muxers' | 'demuxers' | 'filters' | 'bsfs' | 'protocols',
  string[]
>;
export declare function listedNames(output: string): Set<string>;
export declare function missingComponents(dir: string, required?: Partial<Record<string, string[]>>): string[];
