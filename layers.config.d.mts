/** Types of the layer map (layers.config.mjs), for the tests that read it. */
export declare const CAPABILITIES: string[];
export declare const CAPABILITY_USES: Record<string, string[]>;
export declare const LAYERS: Record<string, { files: string[]; may: string[]; typesOnly?: string[] }>;
export declare const TWIN_IMPORTERS: string[];
