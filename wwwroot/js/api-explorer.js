// Scalar configuration that Scalar.AspNetCore has no option for (loaded by /api-explorer; see src/Web/Api/ApiExplorer.cs).
export default {
  // OpenAPI's own word for components.schemas; Scalar's default "Models" repeats the Models tag in the sidebar.
  modelsSectionLabel: 'Schemas',
};
