// /api/docs: the OpenAPI document the server serves at /api/openapi.json, rendered by
// Swagger UI bundled into web/dist (no CDN, no web fonts, no inline script; the online
// validator badge is off so the page never calls out).
import SwaggerUIBundle from "swagger-ui-dist/swagger-ui-bundle.js";
import "swagger-ui-dist/swagger-ui.css";
import "./docs.css";

SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger",
  deepLinking: true,
  validatorUrl: null,
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
  displayRequestDuration: true,
  tryItOutEnabled: false,
  withCredentials: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
