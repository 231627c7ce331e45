export declare const specFile: string;
export declare const schemaFile: string;
export declare function generate(): Promise<string>;
