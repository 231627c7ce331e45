// swagger-ui-dist ships no types; the bundle's default export is the SwaggerUIBundle function.
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  interface SwaggerUIOptions {
    url?: string;
    dom_id?: string;
    deepLinking?: boolean;
    validatorUrl?: string | null;
    docExpansion?: "list" | "full" | "none";
    defaultModelsExpandDepth?: number;
    displayRequestDuration?: boolean;
    tryItOutEnabled?: boolean;
    withCredentials?: boolean;
    presets?: unknown[];
    layout?: string;
  }
  interface SwaggerUIBundleFn {
    (options: SwaggerUIOptions): unknown;
    presets: { apis: unknown };
  }
  const SwaggerUIBundle: SwaggerUIBundleFn;
  export default SwaggerUIBundle;
}
