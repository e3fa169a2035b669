// Types of scripts/build.mjs for the TypeScript tests that import it.
export declare const root: string;
export interface Target {
  name: string; entry: string; out: string; external?: string[]; optional?: boolean;
  platform?: 'node' | 'browser'; format?: 'cjs' | 'iife';
}
export declare function targets(): Target[];
export declare function build(opts?: { minify?: boolean }): Promise<string[]>;
export declare function isStale(out: string, sourceDirs?: string[]): boolean;
