using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Farm.Controller.Api;

/// <summary>The OpenAPI document's title and its Bearer scheme (<c>GET /openapi.json</c>).</summary>
internal sealed class FarmOpenApi : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = "BurnFarm API",
            Version = "1",
            Description = "Every route under /api needs 'Authorization: Bearer TOKEN' when the controller runs with --auth FILE (roles viewer < submitter < operator < admin); without it only loopback clients are served.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "A token of the controller's --auth file" };
        return Task.CompletedTask;
    }
}
