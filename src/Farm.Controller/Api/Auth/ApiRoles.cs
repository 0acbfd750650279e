using Microsoft.AspNetCore.Authorization;

namespace Farm.Controller.Api.Auth;

/// <summary>
/// The API's roles, each allowed what the ones before it are: a viewer reads (every GET), a
/// submitter also submits jobs, an operator also acts on jobs, drives, towers and alerts, an admin
/// may do everything. Each role is an authorization policy of the same name.
/// </summary>
public static class ApiRoles
{
    public const string Viewer = "viewer";
    public const string Submitter = "submitter";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>Lowest first: a role includes every role before it.</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Submitter, Operator, Admin];

    /// <summary>The role's rank in <see cref="All"/>, or -1 for a name that is no role.</summary>
    public static int Rank(string? role) => role is null ? -1 : All.ToList().IndexOf(role);

    /// <summary>One policy per role, met by that role and every higher one.</summary>
    public static AuthorizationBuilder AddFarmRolePolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        for (var rank = 0; rank < All.Count; rank++)
        {
            var allowed = All.Skip(rank).ToArray();
            builder.AddPolicy(All[rank], policy => policy.AddAuthenticationSchemes(BearerAuthentication.SchemeName).RequireAuthenticatedUser().RequireRole(allowed));
        }

        return builder;
    }
}
