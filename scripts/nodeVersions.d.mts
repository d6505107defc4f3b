export declare const DESKTOP_NODE: string;
export declare const HOST_NODE: string;
export declare const ENGINES_NODE: string;
export declare function atLeast(version: string, floor: string): boolean;
export declare function desktopNodeProblem(version: string): string | null;
