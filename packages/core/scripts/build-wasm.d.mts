/** Path of the WebAssembly text source. */
export declare const watPath: string;
/** Path of the generated TypeScript module that holds the binary. */
export declare const modulePath: string;
/** The TypeScript source of the module for the current .wat. */
export declare function moduleSource(): Promise<string>;
