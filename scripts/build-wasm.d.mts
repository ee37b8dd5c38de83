/** Path of the generated TypeScript module for a .wat (`x.wat` → `x-module.ts`, same folder). */
export declare function modulePathOf(watPath: string): string;
/** The TypeScript source of the module for the .wat at `watPath`. */
export declare function moduleSource(watPath: string): Promise<string>;
